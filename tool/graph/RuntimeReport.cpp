//===- RuntimeReport.cpp --------------------------------------------------===//

#include "RuntimeReport.h"
#include "analysis/BoundedJson.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>

#include <set>

namespace json = llvm::json;

namespace lockgraph {
namespace {

constexpr int64_t SupportedSchema = 1;

/// Reads one report file, collecting the first schema violation.
class Reader {
public:
  Reader(RuntimeReport &Out) : Out(Out) {}

  llvm::Error read(const json::Value &Doc) {
    const json::Object *Root = Doc.getAsObject();
    if (!Root || Root->getString("tool") != "lockgraph")
      return fail("", "not a lockgraph runtime report (expected \"tool\": \"lockgraph\")");
    std::optional<int64_t> Schema = Root->getInteger("schema_version");
    if (!Schema)
      return fail("", "no \"schema_version\"");
    if (*Schema != SupportedSchema)
      return fail("", "schema_version " + std::to_string(*Schema) + " is not the supported version " +
                          std::to_string(SupportedSchema));
    Out.Pid = long(Root->getInteger("pid").value_or(0));
    Out.Cwd = stringOr(*Root, "cwd");
    Out.KeptRuns = unsigned(Root->getInteger("linked_runs").value_or(0));
    if (const json::Value *Command = Root->get("command"))
      if (llvm::Error E = readStrings(*Command, "command", Out.Command))
        return E;
    const json::Array *Reports = Root->getArray("reports");
    if (!Reports)
      return fail("", "no \"reports\" array");
    for (size_t I = 0; I < Reports->size(); ++I)
      if (llvm::Error E = readReport((*Reports)[I], "reports[" + std::to_string(I) + "]"))
        return E;
    if (const json::Array *Stats = Root->getArray("statistics"))
      for (size_t I = 0; I < Stats->size(); ++I) {
        const json::Object *S = (*Stats)[I].getAsObject();
        std::optional<llvm::StringRef> Lock = S ? S->getString("lock") : std::nullopt;
        if (!Lock)
          return fail("statistics[" + std::to_string(I) + "]", "not an object with a \"lock\" name");
        RuntimeLockStats Entry;
        Entry.Lock = Lock->str();
        for (auto [Field, Slot] : {std::pair{"holds", &Entry.Holds}, std::pair{"contended", &Entry.Contended},
                                   std::pair{"hold_ns_total", &Entry.HoldNsTotal},
                                   std::pair{"hold_ns_max", &Entry.HoldNsMax},
                                   std::pair{"wait_ns_total", &Entry.WaitNsTotal},
                                   std::pair{"wait_ns_max", &Entry.WaitNsMax}}) {
          std::optional<int64_t> V = S->getInteger(Field);
          if (!V || *V < 0)
            return fail("statistics[" + std::to_string(I) + "]", "no non-negative \"" + std::string(Field) + "\"");
          *Slot = uint64_t(*V);
        }
        if (S->get("acquired_at"))
          if (llvm::Error E = readFrames(*S, "acquired_at", "statistics[" + std::to_string(I) + "]", Entry.AcquiredAt))
            return E;
        Out.Statistics.push_back(std::move(Entry));
      }
    if (const json::Value *Graph = Root->get("graph")) {
      Out.HasGraph = true;
      if (llvm::Error E = readGraph(*Graph))
        return E;
    }
    return llvm::Error::success();
  }

private:
  RuntimeReport &Out;
  std::set<std::pair<std::string, std::string>> EdgesSeen;

  llvm::Error fail(const std::string &Where, const std::string &Message) {
    return llvm::createStringError("runtime report '" + Out.Path + "': " + (Where.empty() ? "" : Where + ": ") +
                                   Message);
  }

  llvm::Error readStrings(const json::Value &V, const std::string &Where, std::vector<std::string> &Out) {
    const json::Array *A = V.getAsArray();
    if (!A)
      return fail(Where, "not an array of strings");
    for (const json::Value &S : *A) {
      if (!S.getAsString())
        return fail(Where, "not an array of strings");
      Out.push_back(S.getAsString()->str());
    }
    return llvm::Error::success();
  }

  static std::string stringOr(const json::Object &O, llvm::StringRef Key) {
    std::optional<llvm::StringRef> S = O.getString(Key);
    return S ? S->str() : "";
  }

  llvm::Error readFrames(const json::Object &O, llvm::StringRef Key, const std::string &Where,
                         std::vector<RuntimeFrame> &Frames) {
    const json::Array *A = O.getArray(Key);
    if (!A)
      return fail(Where, "no \"" + Key.str() + "\" array of frames");
    for (const json::Value &V : *A) {
      const json::Object *F = V.getAsObject();
      if (!F)
        return fail(Where, "a frame of \"" + Key.str() + "\" is not an object");
      RuntimeFrame Frame;
      Frame.Function = stringOr(*F, "function");
      Frame.File = stringOr(*F, "file");
      Frame.Line = unsigned(F->getInteger("line").value_or(0));
      Frames.push_back(std::move(Frame));
    }
    return llvm::Error::success();
  }

  /// Reads a "locks" array; returns the report-local id -> key map.
  llvm::Expected<std::map<std::string, std::string>> readLocks(const json::Object &O, const std::string &Where) {
    const json::Array *Locks = O.getArray("locks");
    if (!Locks)
      return fail(Where, "no \"locks\" array");
    std::map<std::string, std::string> Ids;
    for (const json::Value &V : *Locks) {
      const json::Object *L = V.getAsObject();
      std::optional<llvm::StringRef> Id = L ? L->getString("id") : std::nullopt;
      if (!Id)
        return fail(Where, "a lock without an \"id\"");
      RuntimeLock Lock;
      Lock.Origin = stringOr(*L, "origin");
      Lock.Name = stringOr(*L, "name");
      Lock.Variable = stringOr(*L, "variable");
      Lock.Address = stringOr(*L, "address");
      if (const json::Object *D = L->getObject("declared_at")) {
        Lock.Declared.File = stringOr(*D, "file");
        Lock.Declared.Line = unsigned(D->getInteger("line").value_or(0));
      }
      Lock.Module = stringOr(*L, "module");
      if (auto Offset = L->getInteger("module_offset"))
        Lock.ModuleOffset = uint64_t(*Offset);
      if (auto Offset = L->getInteger("variable_offset"))
        Lock.VariableOffset = uint64_t(*Offset);
      Lock.Member = stringOr(*L, "member");
      if (const json::Value *Sites = L->get("sites"))
        if (llvm::Error E = readStrings(*Sites, Where + ": lock \"" + Id->str() + "\" sites", Lock.Sites))
          return std::move(E);
      if (Lock.Origin == "class")
        Lock.Key = "class " + (Lock.Name.empty() ? Lock.Declared.File + ":" + std::to_string(Lock.Declared.Line)
                                                 : Lock.Name);
      else
        Lock.Key = Lock.Origin + " " + Lock.Name + "@" + Lock.Address;
      // A lock destroyed before the graph was written: another lock may
      // have had its address since, so it is only itself.
      if (L->getBoolean("retired").value_or(false))
        Lock.Key += " retired " + Where + " " + Id->str();
      std::optional<llvm::StringRef> Identity = L->getString("identity");
      Lock.Identity = Identity ? Identity->str() : portableIdentity(Lock);
      // A linked graph names its locks by identity alone (no address).
      if (Identity)
        Lock.Key = Lock.Identity;
      Ids[Id->str()] = Lock.Key;
      Out.Locks.try_emplace(Lock.Key, std::move(Lock));
    }
    return Ids;
  }

  llvm::Expected<RuntimeEdge> readEdge(const json::Value &V, const std::map<std::string, std::string> &Ids,
                                       const std::string &Where) {
    const json::Object *E = V.getAsObject();
    if (!E)
      return fail(Where, "not an object");
    RuntimeEdge Edge;
    for (auto [Field, Slot] : {std::pair{"from", &Edge.From}, std::pair{"to", &Edge.To}}) {
      auto It = Ids.find(stringOr(*E, Field));
      if (It == Ids.end())
        return fail(Where, "\"" + std::string(Field) + "\" names no lock of the report");
      *Slot = It->second;
    }
    Edge.HeldAccess = stringOr(*E, "held_access");
    Edge.AcquiredAccess = stringOr(*E, "acquired_access");
    Edge.Thread = long(E->getInteger("thread").value_or(0));
    if (llvm::Error Err = readFrames(*E, "stack", Where, Edge.Stack))
      return std::move(Err);
    if (llvm::Error Err = readFrames(*E, "held_site", Where, Edge.HeldSite))
      return std::move(Err);
    Edge.Age = unsigned(E->getInteger("age").value_or(0));
    if (const json::Value *Command = E->get("command")) {
      if (llvm::Error Err = readStrings(*Command, Where + ".command", Edge.Command))
        return std::move(Err);
    } else {
      Edge.Command = Out.Command;
    }
    if (const json::Array *Gates = E->getArray("gates"))
      for (const json::Value &G : *Gates) {
        auto It = Ids.find(G.getAsString().value_or("").str());
        if (It == Ids.end())
          return fail(Where, "a gate names no lock of the report");
        Edge.Gates.push_back(It->second);
      }
    return Edge;
  }

  void addEdge(RuntimeEdge Edge) {
    if (EdgesSeen.insert({Edge.From, Edge.To}).second)
      Out.Edges.push_back(std::move(Edge));
  }

  llvm::Error readReport(const json::Value &V, const std::string &Where) {
    const json::Object *R = V.getAsObject();
    if (!R || !R->getString("kind"))
      return fail(Where, "not a report object with a \"kind\"");
    if (R->getString("kind") != "lock-order-inversion")
      return llvm::Error::success(); // misuse reports draw no edges
    auto Ids = readLocks(*R, Where);
    if (!Ids)
      return Ids.takeError();
    const json::Array *Edges = R->getArray("edges");
    if (!Edges || Edges->empty())
      return fail(Where, "an inversion without \"edges\"");
    std::vector<std::string> Cycle;
    for (size_t I = 0; I < Edges->size(); ++I) {
      auto Edge = readEdge((*Edges)[I], *Ids, Where + ".edges[" + std::to_string(I) + "]");
      if (!Edge)
        return Edge.takeError();
      Cycle.push_back(Edge->From);
      addEdge(std::move(*Edge));
    }
    Out.Inversions.push_back(std::move(Cycle));
    return llvm::Error::success();
  }

  llvm::Error readGraph(const json::Value &V) {
    const json::Object *G = V.getAsObject();
    if (!G)
      return fail("graph", "not an object");
    auto Ids = readLocks(*G, "graph");
    if (!Ids)
      return Ids.takeError();
    const json::Array *Edges = G->getArray("edges");
    if (!Edges)
      return fail("graph", "no \"edges\" array");
    for (size_t I = 0; I < Edges->size(); ++I) {
      auto Edge = readEdge((*Edges)[I], *Ids, "graph.edges[" + std::to_string(I) + "]");
      if (!Edge)
        return Edge.takeError();
      addEdge(std::move(*Edge));
    }
    return llvm::Error::success();
  }
};

} // namespace

std::string portableIdentity(const RuntimeLock &Lock) {
  if (Lock.Origin == "class")
    return Lock.Key;
  if (Lock.Module.empty() || Lock.Origin == "instance")
    return ""; // heap or stack: linkRuntimeLockIdentities()
  std::string Module = llvm::sys::path::filename(Lock.Module).str();
  if (!Lock.Variable.empty())
    return "static " + Module + ":" + Lock.Variable + "+" + std::to_string(Lock.VariableOffset.value_or(0));
  return "static " + Module + "+" + std::to_string(Lock.ModuleOffset.value_or(0));
}

std::string RuntimeLock::displayName() const {
  if (Origin == "class")
    return Name.empty() ? "lock declared at " + Declared.File + ":" + std::to_string(Declared.Line) : Name;
  if (Origin == "instance")
    return Name + " at " + Address;
  if (!Member.empty())
    return Origin + " " + Member + " in '" + Variable + "'";
  if (!Variable.empty() && VariableOffset.value_or(0) != 0)
    return Origin + " '" + Variable + "'+" + std::to_string(*VariableOffset);
  if (!Variable.empty())
    return Origin + " '" + Variable + "'";
  return Origin + " at " + Address;
}

llvm::Expected<RuntimeReport> parseRuntimeReport(llvm::StringRef Text, const std::string &Path) {
  RuntimeReport Out;
  Out.Path = Path;
  llvm::Expected<json::Value> Doc = parseJsonBounded(Text);
  if (!Doc)
    return llvm::createStringError("runtime report '" + Path + "' is not valid JSON: " +
                                   llvm::toString(Doc.takeError()));
  if (llvm::Error E = Reader(Out).read(*Doc))
    return std::move(E);
  return Out;
}

llvm::Expected<RuntimeReport> readRuntimeReport(const std::string &Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError("cannot read runtime report '" + Path + "': " + Buffer.getError().message());
  return parseRuntimeReport((*Buffer)->getBuffer(), Path);
}

} // namespace lockgraph

namespace lockgraph {

llvm::Expected<std::vector<RuntimeReport>> readRuntimeReports(const std::vector<std::string> &Paths) {
  std::vector<RuntimeReport> Out;
  for (const std::string &Path : Paths) {
    std::vector<std::string> Files;
    if (llvm::sys::fs::is_directory(Path)) {
      std::error_code EC;
      for (llvm::sys::fs::directory_iterator It(Path, EC), End; It != End && !EC; It.increment(EC))
        if (!llvm::sys::path::filename(It->path()).starts_with("."))
          Files.push_back(It->path());
      if (EC)
        return llvm::createStringError("cannot list '" + Path + "': " + EC.message());
      std::sort(Files.begin(), Files.end());
    } else {
      Files.push_back(Path);
    }
    for (const std::string &File : Files) {
      auto Report = readRuntimeReport(File);
      if (!Report)
        return Report.takeError();
      Out.push_back(std::move(*Report));
    }
  }
  return Out;
}

} // namespace lockgraph
