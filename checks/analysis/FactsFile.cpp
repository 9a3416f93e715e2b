//===- FactsFile.cpp ------------------------------------------------------===//

#include "analysis/FactsFile.h"
#include "analysis/BlockingKinds.h"

#include "analysis/BoundedJson.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

namespace json = llvm::json;

namespace lockgraph {
namespace {

constexpr llvm::StringLiteral FormatName = "lockgraph_facts";

const char *rootName(FactRoot R) {
  switch (R) {
  case FactRoot::Global: return "global";
  case FactRoot::This: return "this";
  case FactRoot::Param: return "param";
  case FactRoot::Local: return "local";
  case FactRoot::Other: return "other";
  }
  return "other";
}

const char *kindName(FactMutexKind K) {
  switch (K) {
  case FactMutexKind::Plain: return "plain";
  case FactMutexKind::Recursive: return "recursive";
  case FactMutexKind::Shared: return "shared";
  case FactMutexKind::Spin: return "spin";
  }
  return "plain";
}

/// Writer: file names go to a table once; locations refer to it by index.
class Writer {
public:
  json::Value loc(const FactLoc &L) {
    if (!L.valid())
      return nullptr;
    auto [It, New] = FileIndex.try_emplace(L.File, Files.size());
    if (New)
      Files.push_back(L.File);
    return json::Array{int64_t(It->second), int64_t(L.Line), int64_t(L.Column)};
  }

  json::Value lock(const LockRef &L) {
    json::Object O{{"class", L.Class}, {"key", L.Key}, {"root", rootName(L.Root)}};
    if (!L.Suffix.empty())
      O["suffix"] = L.Suffix;
    if (L.Spelling != L.Class)
      O["spelling"] = L.Spelling;
    if (L.Root == FactRoot::Param)
      O["param"] = int64_t(L.Param);
    if (L.Kind != FactMutexKind::Plain)
      O["kind"] = kindName(L.Kind);
    if (L.Fresh)
      O["fresh"] = true;
    if (!L.Type.empty())
      O["type"] = L.Type;
    return O;
  }

  json::Value locks(const std::vector<LockRef> &Locks) {
    json::Array Out;
    for (const LockRef &L : Locks)
      Out.push_back(lock(L));
    return Out;
  }

  json::Value held(const std::vector<HeldFact> &Held) {
    json::Array Out;
    for (const HeldFact &H : Held) {
      json::Object O{{"lock", lock(H.Lock)}, {"at", loc(H.AcquiredAt)}};
      if (H.Shared)
        O["shared"] = true;
      if (!H.Definitely)
        O["maybe"] = true;
      if (!H.Guard.empty())
        O["guard"] = H.Guard;
      Out.push_back(std::move(O));
    }
    return Out;
  }

  json::Value function(const FunctionFacts &F) {
    json::Array Acquires, Calls;
    for (const AcquireFact &A : F.Acquires) {
      json::Object O{{"lock", lock(A.Lock)}, {"at", loc(A.Site)}, {"held", held(A.Held)}};
      if (A.Shared)
        O["shared"] = true;
      if (A.Try)
        O["try"] = true;
      if (!A.ReleasedBefore.empty())
        O["released"] = locks(A.ReleasedBefore);
      if (!A.When.empty()) {
        json::Array When;
        for (const auto &[Param, Value] : A.When)
          When.push_back(json::Object{{"param", int64_t(Param)}, {"value", Value}});
        O["when"] = std::move(When);
      }
      Acquires.push_back(std::move(O));
    }
    for (const CallFact &C : F.Calls) {
      json::Object O{{"callee", C.Callee}, {"name", C.CalleeName}, {"at", loc(C.Site)}, {"held", held(C.Held)}};
      if (C.Virtual)
        O["virtual"] = true;
      if (C.InAssertion)
        O["assertion"] = true;
      if (C.Receiver)
        O["receiver"] = lock(*C.Receiver);
      json::Array Args;
      for (const std::optional<LockRef> &A : C.Args)
        Args.push_back(A ? lock(*A) : json::Value(nullptr));
      if (!Args.empty())
        O["args"] = std::move(Args);
      if (!C.ReleasedBefore.empty())
        O["released"] = locks(C.ReleasedBefore);
      if (!C.BoolArgs.empty()) {
        json::Array Bools;
        for (const std::optional<bool> &B : C.BoolArgs)
          Bools.push_back(B ? json::Value(*B) : json::Value(nullptr));
        O["boolArgs"] = std::move(Bools);
      }
      Calls.push_back(std::move(O));
    }
    json::Array Blocks;
    for (const BlockFact &B : F.Blocks) {
      json::Object O{{"what", B.What}, {"kind", B.Kind}, {"at", loc(B.Site)}};
      if (!B.ReleasedBefore.empty())
        O["released"] = locks(B.ReleasedBefore);
      Blocks.push_back(std::move(O));
    }
    json::Object O{{"id", F.Id}, {"name", F.Name}, {"at", loc(F.Where)}};
    if (!Blocks.empty())
      O["blocks"] = std::move(Blocks);
    if (!F.Overrides.empty())
      O["overrides"] = json::Array(F.Overrides);
    if (F.Harmless)
      O["harmless"] = *F.Harmless;
    if (!F.FieldParams.empty()) {
      json::Array Params;
      for (const auto &[Field, Param] : F.FieldParams)
        Params.push_back(json::Object{{"field", Field}, {"param", static_cast<int64_t>(Param)}});
      O["fieldParams"] = std::move(Params);
    }
    if (!Acquires.empty())
      O["acquires"] = std::move(Acquires);
    if (!Calls.empty())
      O["calls"] = std::move(Calls);
    return O;
  }

  std::vector<std::string> Files;

private:
  llvm::StringMap<size_t> FileIndex;
};

/// Reader: every accessor records the first problem and carries on with a
/// default, so one error message names the first bad field.
class Reader {
public:
  std::optional<std::string> Problem;
  std::vector<std::string> Files;

  void fail(const std::string &Why) {
    if (!Problem)
      Problem = Why;
  }

  /// Calls \p Read with each object of the array \p Key of \p O (none
  /// when absent); \p What names one in the error when it is no object.
  template <typename Fn> void eachObject(const json::Object &O, llvm::StringRef Key, llvm::StringRef What, Fn Read) {
    if (const json::Array *A = O.getArray(Key))
      for (const json::Value &V : *A) {
        const json::Object *Item = V.getAsObject();
        if (!Item)
          fail(What.str() + " is not an object");
        else
          Read(*Item);
        if (Problem)
          return;
      }
  }

  std::string str(const json::Object &O, llvm::StringRef Key, bool Required = true) {
    if (std::optional<llvm::StringRef> S = O.getString(Key))
      return S->str();
    if (Required)
      fail("missing string '" + Key.str() + "'");
    return {};
  }

  bool flag(const json::Object &O, llvm::StringRef Key) { return O.getBoolean(Key).value_or(false); }

  FactLoc loc(const json::Value *V) {
    FactLoc L;
    if (!V || V->getAsNull())
      return L;
    const json::Array *A = V->getAsArray();
    if (!A || A->size() != 3) {
      fail("a location is not [file, line, column]");
      return L;
    }
    std::optional<int64_t> File = (*A)[0].getAsInteger(), Line = (*A)[1].getAsInteger(),
                           Col = (*A)[2].getAsInteger();
    if (!File || !Line || !Col || *File < 0 || size_t(*File) >= Files.size() || *Line < 0 || *Col < 0) {
      fail("a location refers to no file of the file table");
      return L;
    }
    L.File = Files[*File];
    L.Line = unsigned(*Line);
    L.Column = unsigned(*Col);
    return L;
  }

  FactMutexKind kind(llvm::StringRef Kind) {
    if (Kind == "plain") return FactMutexKind::Plain;
    if (Kind == "recursive") return FactMutexKind::Recursive;
    if (Kind == "shared") return FactMutexKind::Shared;
    if (Kind == "spin") return FactMutexKind::Spin;
    fail("unknown mutex kind '" + Kind.str() + "'");
    return FactMutexKind::Plain;
  }

  LockRef lock(const json::Value *V) {
    LockRef L;
    const json::Object *O = V ? V->getAsObject() : nullptr;
    if (!O) {
      fail("a lock is not an object");
      return L;
    }
    L.Class = str(*O, "class");
    L.Key = str(*O, "key");
    L.Suffix = str(*O, "suffix", false);
    L.Spelling = O->get("spelling") ? str(*O, "spelling") : L.Class;
    llvm::StringRef Root = O->getString("root").value_or("");
    if (Root == "global") L.Root = FactRoot::Global;
    else if (Root == "this") L.Root = FactRoot::This;
    else if (Root == "param") L.Root = FactRoot::Param;
    else if (Root == "local") L.Root = FactRoot::Local;
    else if (Root == "other") L.Root = FactRoot::Other;
    else fail("unknown lock root '" + Root.str() + "'");
    L.Param = unsigned(O->getInteger("param").value_or(0));
    L.Kind = kind(O->getString("kind").value_or("plain"));
    L.Type = str(*O, "type", false);
    L.Fresh = flag(*O, "fresh");
    return L;
  }

  std::vector<LockRef> locks(const json::Object &O) {
    std::vector<LockRef> Out;
    if (const json::Array *A = O.getArray("released"))
      for (const json::Value &V : *A)
        Out.push_back(lock(&V));
    return Out;
  }

  std::vector<HeldFact> held(const json::Object &O) {
    std::vector<HeldFact> Out;
    const json::Array *A = O.getArray("held");
    if (!A)
      return Out;
    for (const json::Value &V : *A) {
      const json::Object *H = V.getAsObject();
      if (!H) {
        fail("a held lock is not an object");
        continue;
      }
      Out.push_back(HeldFact{lock(H->get("lock")), loc(H->get("at")), flag(*H, "shared"), !flag(*H, "maybe"),
                             str(*H, "guard", false)});
    }
    return Out;
  }

  FunctionFacts function(const json::Object &O) {
    FunctionFacts F;
    F.Id = str(O, "id");
    F.Name = str(O, "name");
    F.Where = loc(O.get("at"));
    if (const json::Array *A = O.getArray("overrides"))
      for (const json::Value &V : *A)
        if (std::optional<llvm::StringRef> S = V.getAsString())
          F.Overrides.push_back(S->str());
    if (const json::Value *H = O.get("harmless")) {
      F.Harmless = H->getAsBoolean();
      if (!F.Harmless)
        fail("'harmless' is not true or false");
    }
    if (const json::Array *A = O.getArray("fieldParams"))
      for (const json::Value &V : *A) {
        const json::Object *P = V.getAsObject();
        std::optional<int64_t> Index = P ? P->getInteger("param") : std::nullopt;
        if (!Index || *Index < 0) {
          fail("a field parameter is not an object with a 'param' index");
          break;
        }
        F.FieldParams.emplace_back(str(*P, "field"), static_cast<unsigned>(*Index));
      }
    if (const json::Array *A = O.getArray("acquires"))
      for (const json::Value &V : *A) {
        const json::Object *Acq = V.getAsObject();
        if (!Acq) {
          fail("an acquisition is not an object");
          continue;
        }
        AcquireFact Fact;
        Fact.Lock = lock(Acq->get("lock"));
        Fact.Site = loc(Acq->get("at"));
        Fact.Shared = flag(*Acq, "shared");
        Fact.Try = flag(*Acq, "try");
        Fact.Held = held(*Acq);
        Fact.ReleasedBefore = locks(*Acq);
        if (const json::Array *When = Acq->getArray("when"))
          for (const json::Value &W : *When) {
            const json::Object *C = W.getAsObject();
            std::optional<int64_t> Param = C ? C->getInteger("param") : std::nullopt;
            std::optional<bool> Value = C ? C->getBoolean("value") : std::nullopt;
            if (!Param || *Param < 0 || !Value) {
              fail("a condition is not {param, value}");
              break;
            }
            Fact.When.push_back({unsigned(*Param), *Value});
          }
        F.Acquires.push_back(std::move(Fact));
      }
    if (const json::Array *A = O.getArray("calls"))
      for (const json::Value &V : *A) {
        const json::Object *Call = V.getAsObject();
        if (!Call) {
          fail("a call is not an object");
          continue;
        }
        CallFact C;
        C.Callee = str(*Call, "callee");
        C.CalleeName = str(*Call, "name");
        C.Site = loc(Call->get("at"));
        C.Virtual = flag(*Call, "virtual");
        C.InAssertion = flag(*Call, "assertion");
        if (const json::Value *R = Call->get("receiver"))
          C.Receiver = lock(R);
        if (const json::Array *Args = Call->getArray("args"))
          for (const json::Value &Arg : *Args)
            C.Args.push_back(Arg.getAsNull() ? std::nullopt : std::optional<LockRef>(lock(&Arg)));
        C.Held = held(*Call);
        C.ReleasedBefore = locks(*Call);
        if (const json::Array *Bools = Call->getArray("boolArgs"))
          for (const json::Value &B : *Bools)
            C.BoolArgs.push_back(B.getAsBoolean());
        F.Calls.push_back(std::move(C));
      }
    if (const json::Array *A = O.getArray("blocks"))
      for (const json::Value &V : *A) {
        const json::Object *Block = V.getAsObject();
        if (!Block) {
          fail("a blocking call is not an object");
          continue;
        }
        BlockFact B;
        B.What = str(*Block, "what");
        B.Kind = str(*Block, "kind");
        if (!blockingKindNamed(B.Kind))
          fail("unknown blocking kind '" + B.Kind + "'");
        B.Site = loc(Block->get("at"));
        B.ReleasedBefore = locks(*Block);
        F.Blocks.push_back(std::move(B));
      }
    return F;
  }
};

} // namespace

void writeFacts(llvm::raw_ostream &OS, const TUFacts &Facts) {
  Writer W;
  json::Array Functions;
  for (const FunctionFacts &F : Facts.Functions)
    Functions.push_back(W.function(F));
  json::Array LockTypes;
  for (const LockTypeFact &T : Facts.LockTypes) {
    json::Object Type{{"name", T.Name}, {"kind", T.IsLock ? kindName(T.Kind) : "none"}, {"how", T.How}};
    if (!T.Wraps.empty())
      Type["wraps"] = T.Wraps;
    LockTypes.push_back(std::move(Type));
  }
  // Before the file table is taken: their locations add to it.
  json::Array Callbacks;
  for (const VirtualCallbackFact &C : Facts.VirtualCallbacks) {
    json::Object O{{"at", W.loc(C.Site)}, {"message", C.Message}, {"method", C.Method}};
    if (C.MethodIsPure)
      O["pure"] = true;
    if (C.InAbstractClass)
      O["abstract"] = true;
    if (C.MethodIsEmptyHook)
      O["hook"] = true;
    if (!C.Undefined.empty())
      O["undefined"] = json::Array(C.Undefined);
    Callbacks.push_back(std::move(O));
  }
  json::Object Doc{{"format", FormatName},
                   {"version", FactsFormatVersion},
                   {"mainFile", Facts.MainFile},
                   {"files", json::Array(W.Files)},
                   {"functions", std::move(Functions)}};
  if (!LockTypes.empty())
    Doc["lockTypes"] = std::move(LockTypes);
  json::Array Stored;
  for (const StoredCallableFact &S : Facts.StoredCallables)
    Stored.push_back(json::Object{{"field", S.Field}, {"function", S.Function}});
  if (!Stored.empty())
    Doc["storedCallables"] = std::move(Stored);
  if (!Callbacks.empty())
    Doc["virtualCallbacks"] = std::move(Callbacks);
  json::Array Pointers;
  for (const LockPointerStoreFact &S : Facts.LockPointerStores) {
    json::Object Store{{"field", S.Field}};
    if (!S.Class.empty())
      Store["class"] = S.Class;
    if (!S.Path.empty())
      Store["path"] = S.Path;
    if (S.Copy)
      Store["copy"] = true;
    Pointers.push_back(std::move(Store));
  }
  if (!Pointers.empty())
    Doc["lockPointerStores"] = std::move(Pointers);
  OS << json::Value(std::move(Doc)) << '\n';
}

llvm::Expected<TUFacts> parseFacts(llvm::StringRef Text) {
  llvm::Expected<json::Value> Doc = parseJsonBounded(Text);
  if (!Doc)
    return Doc.takeError();
  const json::Object *O = Doc->getAsObject();
  if (!O || O->getString("format") != FormatName)
    return llvm::createStringError("not a lockgraph facts file (no \"format\": \"lockgraph_facts\")");
  std::optional<int64_t> Version = O->getInteger("version");
  if (Version != FactsFormatVersion)
    return llvm::createStringError("facts format version " + (Version ? std::to_string(*Version) : "?") +
                                   " is not the supported version " + std::to_string(FactsFormatVersion));
  Reader R;
  TUFacts Out;
  Out.MainFile = R.str(*O, "mainFile");
  if (const json::Array *Files = O->getArray("files"))
    for (const json::Value &F : *Files)
      R.Files.push_back(F.getAsString().value_or("").str());
  const json::Array *Functions = O->getArray("functions");
  if (!Functions)
    return llvm::createStringError("missing array 'functions'");
  for (const json::Value &V : *Functions) {
    if (const json::Object *F = V.getAsObject())
      Out.Functions.push_back(R.function(*F));
    else
      R.fail("a function is not an object");
    if (R.Problem)
      break;
  }
  R.eachObject(*O, "lockTypes", "a lock type", [&](const json::Object &T) {
    LockTypeFact Type;
    Type.Name = R.str(T, "name");
    llvm::StringRef Kind = T.getString("kind").value_or("plain");
    Type.IsLock = Kind != "none";
    if (Type.IsLock)
      Type.Kind = R.kind(Kind);
    Type.How = R.str(T, "how");
    Type.Wraps = T.getString("wraps").value_or("").str();
    Out.LockTypes.push_back(std::move(Type));
  });
  R.eachObject(*O, "storedCallables", "a stored callable", [&](const json::Object &S) {
    Out.StoredCallables.push_back({R.str(S, "field"), R.str(S, "function")});
  });
  R.eachObject(*O, "lockPointerStores", "a lock pointer store", [&](const json::Object &S) {
    LockPointerStoreFact Store{R.str(S, "field"), R.str(S, "class", false), R.str(S, "path", false),
                               R.flag(S, "copy")};
    if (!Store.Path.empty() && (Store.Class.empty() || Store.Path[0] != '.'))
      R.fail("a lock pointer store's 'path' is not a member path of a named lock");
    Out.LockPointerStores.push_back(std::move(Store));
  });
  R.eachObject(*O, "virtualCallbacks", "a virtual callback", [&](const json::Object &C) {
    VirtualCallbackFact Call{R.loc(C.get("at")), R.str(C, "message"), R.str(C, "method"), R.flag(C, "pure"),
                             R.flag(C, "abstract"), R.flag(C, "hook"), {}};
    if (const json::Array *A = C.getArray("undefined"))
      for (const json::Value &V : *A) {
        std::optional<llvm::StringRef> Id = V.getAsString();
        if (!Id) {
          R.fail("a virtual callback's 'undefined' holds a non-string");
          break;
        }
        Call.Undefined.push_back(Id->str());
      }
    Out.VirtualCallbacks.push_back(std::move(Call));
  });
  if (R.Problem)
    return llvm::createStringError(*R.Problem);
  return Out;
}

llvm::Expected<TUFacts> readFactsFile(llvm::StringRef Path) {
  auto Buffer = llvm::MemoryBuffer::getFile(Path);
  if (!Buffer)
    return llvm::createStringError("cannot read facts file '" + Path.str() + "': " + Buffer.getError().message());
  llvm::Expected<TUFacts> Facts = parseFacts((*Buffer)->getBuffer());
  if (!Facts)
    return llvm::createStringError("facts file '" + Path.str() + "': " + llvm::toString(Facts.takeError()));
  return Facts;
}

llvm::Error writeFactsFile(llvm::StringRef Path, const TUFacts &Facts) {
  llvm::SmallString<256> Dir = Path;
  llvm::sys::path::remove_filename(Dir);
  if (!Dir.empty())
    if (std::error_code EC = llvm::sys::fs::create_directories(Dir))
      return llvm::createStringError("cannot create directory '" + Dir.str().str() + "': " + EC.message());
  llvm::SmallString<256> Temp;
  int FD = -1;
  if (std::error_code EC = llvm::sys::fs::createUniqueFile(Path + ".tmp-%%%%%%", FD, Temp))
    return llvm::createStringError("cannot write facts file '" + Path.str() + "': " + EC.message());
  {
    llvm::raw_fd_ostream OS(FD, /*shouldClose=*/true);
    writeFacts(OS, Facts);
    OS.close();
    if (OS.has_error()) {
      OS.clear_error();
      llvm::sys::fs::remove(Temp);
      return llvm::createStringError("cannot write facts file '" + Path.str() + "'");
    }
  }
  if (std::error_code EC = llvm::sys::fs::rename(Temp, Path)) {
    llvm::sys::fs::remove(Temp);
    return llvm::createStringError("cannot write facts file '" + Path.str() + "': " + EC.message());
  }
  return llvm::Error::success();
}

} // namespace lockgraph
