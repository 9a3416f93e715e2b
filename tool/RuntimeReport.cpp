//===- RuntimeReport.cpp --------------------------------------------------===//

#include "RuntimeReport.h"
#include "analysis/BoundedJson.h"

#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"

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
      if (Lock.Origin == "class")
        Lock.Key = "class " + (Lock.Name.empty() ? Lock.Declared.File + ":" + std::to_string(Lock.Declared.Line)
                                                 : Lock.Name);
      else
        Lock.Key = Lock.Origin + " " + Lock.Name + "@" + Lock.Address;
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

std::string RuntimeLock::displayName() const {
  if (Origin == "class")
    return Name.empty() ? "lock declared at " + Declared.File + ":" + std::to_string(Declared.Line) : Name;
  if (Origin == "instance")
    return Name + " at " + Address;
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
