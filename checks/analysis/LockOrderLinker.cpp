//===- LockOrderLinker.cpp ------------------------------------------------===//

#include "analysis/LockOrderLinker.h"
#include "analysis/CallbackDispatch.h"
#include "analysis/CrossUnitBlocking.h"
#include "analysis/FieldAliases.h"
#include "analysis/LockGraph.h"
#include "analysis/LockTypeVerdicts.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <memory>
#include <set>
#include <tuple>

namespace lockgraph {
namespace {

/// A call chain shared between the may-acquire sets of the functions on
/// it: a caller's entry is one step in front of its callee's, so a chain
/// costs one link per set instead of a copy of every step (1,000 mutually
/// recursive functions: 128 steps deep, 1,000 x 128 entries).
struct ChainLink {
  ChainStep Step;
  std::shared_ptr<const ChainLink> Next;
};
using Chain = std::shared_ptr<const ChainLink>;

std::vector<ChainStep> stepsOf(const Chain &C) {
  std::vector<ChainStep> Out;
  for (const ChainLink *L = C.get(); L; L = L->Next.get())
    Out.push_back(L->Step);
  return Out;
}

/// A lock a call to some function may acquire, in that function's terms.
struct MayAcquire {
  LockRef Lock;
  bool Shared = false;
  FactLoc Site; // where it is finally taken
  Chain Calls;  // calls from the function down to Site
  /// The function's caller's locks released on the way before it is taken.
  std::vector<LockRef> Released;
  /// Taken while a lock acquired below the call is definitely held: the
  /// caller's lock is then ordered before that one, and that one before
  /// this, so the caller's order to this lock adds no edge of its own.
  bool UnderLock = false;
  /// The chain passes a virtual call to one of several overrides.
  bool Assumed = false;
  /// Every such call was made on the object whose function heads the chain
  /// (`this`): the chain is what that function does on objects of the
  /// overrides' classes, no guess about some other object.
  bool AssumedOnThis = false;
  /// Taken only when the function's parameters have these values.
  std::vector<std::pair<unsigned, bool>> When;
};

/// A function a call may run; `Assumed` when it is one of several
/// overrides of a virtual call whose receiver's type is not known;
/// `OnThis` when that call is on the caller's own object, whose class the
/// override's class then is (see MayAcquire::AssumedOnThis).
struct CallTarget {
  const FunctionFacts *Function;
  bool Assumed;
  bool OnThis = false;
};

/// Whether the chain through \p C to \p T (whose own chain is \p M) makes
/// every assumed dispatch on the calling function's `this`.
bool assumedOnThis(const CallFact &C, const CallTarget &T, bool CalleeAssumed, bool CalleeAssumedOnThis) {
  bool OnCallersThis = C.Receiver && C.Receiver->Key == "this";
  return (T.Assumed || CalleeAssumed) && (!T.Assumed || T.OnThis) &&
         (!CalleeAssumed || (CalleeAssumedOnThis && OnCallersThis));
}

/// Whether \p Call passes a constant that rules out what is taken only
/// \p When (`Apply(/*need_lock=*/false)` and `if (need_lock) mu.Lock();`).
bool excludedByArguments(const std::vector<std::pair<unsigned, bool>> &When, const CallFact &Call) {
  for (const auto &[Param, Value] : When)
    if (Param < Call.BoolArgs.size() && Call.BoolArgs[Param] && *Call.BoolArgs[Param] != Value)
      return true;
  return false;
}

size_t lengthOf(const Chain &C) {
  size_t N = 0;
  for (const ChainLink *L = C.get(); L; L = L->Next.get())
    ++N;
  return N;
}

bool anyDefinitelyHeld(const std::vector<HeldFact> &Held) {
  return llvm::any_of(Held, [](const HeldFact &H) { return H.Definitely; });
}

/// Whether \p H was released before the acquisition: then holding it is
/// no order and no double lock (`mu.Unlock(); ...; mu.Lock();` in a callee).
bool releasedBefore(const HeldFact &H, const std::vector<LockRef> &Released) {
  for (const LockRef &R : Released)
    if (R.Key == H.Lock.Key || (R.Class == H.Lock.Class && (R.Key == "?" || H.Lock.Key == "?")) ||
        (!H.Guard.empty() && R.Key == H.Guard)) // the caller's guard, unlocked by the callee
      return true;
  return false;
}

/// The key of a translated lock whose instance is unknown: never equal to
/// another, so it can nest a class but never double-lock.
const char *UnknownInstance = "?";

/// One object reached the same way. The class is compared too: a derived
/// class's `lock` member hiding its base's `lock` has the same path from
/// `this` but is another mutex.
bool sameInstance(const LockRef &A, const LockRef &B) {
  return A.Key == B.Key && A.Key != UnknownInstance && A.Class == B.Class;
}

/// The path of the object holding \p L (its key without the last member),
/// or empty when it is not a member of a known object.
std::string ownerPath(const LockRef &L) {
  if (L.Key == UnknownInstance || L.Suffix.empty())
    return {};
  size_t Dot = L.Key.rfind('.');
  if (Dot == std::string::npos || Dot == 0)
    return {};
  return L.Key.substr(0, Dot);
}

/// When \p Child belongs to an object reached from \p Parent's object
/// (`n->mu` and `n->next->mu`), the member path between them (".next");
/// otherwise empty.
std::string relationBetween(const LockRef &Parent, const LockRef &Child) {
  std::string P = ownerPath(Parent), C = ownerPath(Child);
  if (P.empty() || C.size() <= P.size() || C.compare(0, P.size(), P) != 0 || (C[P.size()] != '.' && C[P.size()] != '['))
    return {};
  return C.substr(P.size());
}

/// When \p G is a member of a global object (a namespace-scope variable, a
/// singleton's `Instance()`) and \p Other is not, that object's path
/// ("@Registry::Instance()"); otherwise empty. The two may be one object.
std::string globalOwnerAgainstOther(const LockRef &G, const LockRef &Other) {
  if (G.Root != FactRoot::Global || Other.Root == FactRoot::Global)
    return {};
  return ownerPath(G);
}

std::string memberSpelling(const LockRef &Base, const std::string &Suffix) {
  std::string Member = Suffix.size() > 1 && Suffix[0] == '.' ? Suffix.substr(1) : Suffix;
  if (Base.Root == FactRoot::This && Base.Suffix.empty())
    return Member;
  return Base.Spelling + "." + Member;
}

/// The callee's lock \p L as seen from the caller at \p Call.
std::optional<LockRef> translate(const LockRef &L, const CallFact &Call) {
  auto Rebase = [&](const std::optional<LockRef> &Base) -> std::optional<LockRef> {
    if (!Base) {
      // The object is unknown, but a member path still names its class.
      if (L.Suffix.empty())
        return std::nullopt;
      LockRef Out = L;
      Out.Root = FactRoot::Other;
      Out.Key = UnknownInstance;
      return Out;
    }
    LockRef Out = L;
    Out.Root = Base->Root;
    Out.Param = Base->Param;
    Out.Fresh = L.Fresh || Base->Fresh;
    Out.Key = Base->Key == UnknownInstance ? UnknownInstance : Base->Key + L.Suffix;
    Out.Suffix = Base->Suffix + L.Suffix;
    if (L.Suffix.empty()) {
      Out.Class = Base->Class;
      Out.Spelling = Base->Spelling;
    } else {
      Out.Spelling = memberSpelling(*Base, L.Suffix);
    }
    return Out;
  };
  switch (L.Root) {
  case FactRoot::Global:
    return L;
  case FactRoot::This:
    return Rebase(Call.Receiver);
  case FactRoot::Param:
    return Rebase(L.Param < Call.Args.size() ? Call.Args[L.Param] : std::nullopt);
  case FactRoot::Local:
  case FactRoot::Other: {
    LockRef Out = L;
    Out.Root = FactRoot::Other;
    Out.Key = UnknownInstance;
    return Out;
  }
  }
  return std::nullopt;
}

bool locBefore(const FactLoc &A, const FactLoc &B) { return sourceOrderBefore(A, B); }

std::string quoted(const std::string &S) { return quotedName(S); }

void addAssumptionNote(std::vector<LockReportNote> &Notes, const ChainStep &S) {
  if (!S.Assumption.empty())
    Notes.push_back({S.Assumption, S.Site});
}

void addChainNotes(std::vector<LockReportNote> &Notes, const EdgeWitness &W, const std::string &Held) {
  for (const ChainStep &S : W.Chain) {
    Notes.push_back({quoted(S.Caller) + " calls " + quoted(S.Callee) + " here while " + quoted(Held) + " is held",
                     S.Site});
    addAssumptionNote(Notes, S);
  }
}

} // namespace

bool isReleasedLock(const HeldFact &H, const std::vector<LockRef> &Released) { return releasedBefore(H, Released); }

bool sourceOrderBefore(const FactLoc &A, const FactLoc &B) {
  return std::tie(A.File, A.Line, A.Column) < std::tie(B.File, B.Line, B.Column);
}

std::string quotedName(const std::string &Name) { return "'" + Name + "'"; }

std::string componentMessage(const std::set<std::string> &Locks, size_t Orders, size_t Cycles,
                             const std::string &ExamplePath) {
  std::string Names;
  size_t Listed = 0;
  for (const std::string &L : Locks) {
    if (Listed == 8) {
      Names += ", and " + std::to_string(Locks.size() - Listed) + " more";
      break;
    }
    Names += (Listed++ ? ", " : "") + quoted(L);
  }
  return "lock-order cycles among " + std::to_string(Locks.size()) + " locks " + Names + ": " +
         std::to_string(Orders) + " orders between them form " + std::to_string(Cycles) + " cycles, such as " +
         ExamplePath;
}

void addEdgeWitnessNotes(std::vector<LockReportNote> &Notes, const EdgeWitness &W, const std::string &EdgeLabel) {
  Notes.push_back({quoted(W.HeldSpelling) + " acquired here in " + quoted(W.Function) + " " + EdgeLabel, W.HeldAt});
  addChainNotes(Notes, W, W.HeldSpelling);
  Notes.push_back({quoted(W.AcquiredSpelling) + " acquired here while " + quoted(W.HeldSpelling) + " is held",
                   W.AcquiredAt});
}

class LockOrderLinker::Impl {
public:
  explicit Impl(LinkOptions Options) : Options(Options) {}

  LinkOptions Options;
  std::map<std::string, FunctionFacts> Functions; // sorted: deterministic output
  std::unordered_map<std::string, std::vector<std::string>> Overriders;
  std::unordered_map<std::string, std::vector<MayAcquire>> MayMemo;
  std::set<std::string> InProgress;
  unsigned Depth = 0;
  LinkLimitHits Hits;

  std::map<std::pair<std::string, std::string>, LockEdge> EdgeMap;
  std::vector<LockEdge> Edges;
  std::vector<LockReport> Reports;
  /// Index in Reports of the finding already made for a class (nesting) or
  /// a site and lock (double lock): reported once, preferring a witness
  /// that needs no assumption.
  std::map<std::string, size_t> NestedClassesReported;
  std::map<std::tuple<std::string, unsigned, unsigned, std::string>, size_t> DoubleLocksReported;

  /// The units' callback findings on virtual calls, and those the
  /// program's overrides clear (CallbackDispatch.h).
  std::vector<VirtualCallbackFact> VirtualCallbacks;
  std::vector<VirtualCallbackFact> HarmlessCallbacks;
  /// Per virtual method defined in some unit: whether its body is harmless.
  std::unordered_map<std::string, bool> HarmlessVerdicts;

  /// Per function, the units that define it (CrossUnitBlocking.h).
  std::unordered_map<std::string, std::vector<unsigned>> DefinedIn;
  unsigned Units = 0;

  void add(FunctionFacts &&F, unsigned Unit) {
    if (F.Harmless)
      HarmlessVerdicts.try_emplace(F.Id, *F.Harmless);
    // A virtual method listed only for its verdict (it neither locks nor
    // calls) is no call target: it would only make dispatch to the one
    // override that locks look like an assumption.
    if (F.Acquires.empty() && F.Calls.empty() && F.Overrides.empty() && F.Blocks.empty() && F.FieldParams.empty())
      return;
    std::vector<unsigned> &In = DefinedIn[F.Id];
    if (In.empty() || In.back() != Unit)
      In.push_back(Unit);
    std::string Id = F.Id;
    Functions.try_emplace(std::move(Id), std::move(F));
  }

  /// What the units found their discovered classes to be, settled once.
  LockTypeVerdicts LockTypes;

  /// Every lock and path the functions name.
  template <class Fn> void forEachLockRef(Fn Apply) {
    for (auto &[Id, F] : Functions)
      lockgraph::forEachLockRef(F, Apply, [&](HeldFact &H) { Apply(H.Lock); });
  }

  void applyLockTypes() {
    LockTypes.settle();
    if (LockTypes.empty())
      return;
    for (auto &[Id, F] : Functions)
      LockTypes.apply(F);
  }

  /// Members that point into one object wherever they are set
  /// (FieldAliases.h): one mutex, one name.
  FieldAliases Aliases;
  /// Every unit's stores into lock pointer members.
  std::vector<LockPointerStoreFact> LockPointerStores;

  void applyFieldAliases() {
    Aliases.learn(Functions, LockPointerStores);
    if (!Aliases.empty())
      forEachLockRef([&](LockRef &L) { Aliases.rewrite(L); });
  }

  /// The callee's lock \p L as seen from the caller at \p C, through the
  /// back pointers the program's constructions set.
  std::optional<LockRef> translateAt(const LockRef &L, const CallFact &C) const {
    std::optional<LockRef> Out = translate(L, C);
    if (Out && C.Receiver)
      Aliases.collapse(*Out, L, *C.Receiver);
    return Out;
  }

  void indexOverrides() {
    // Transitively: a call through a base reaches overrides of overrides.
    std::unordered_map<std::string, std::vector<std::string>> Direct;
    for (const auto &[Id, F] : Functions)
      for (const std::string &Base : F.Overrides)
        Direct[Base].push_back(Id);
    for (const auto &[Base, _] : Direct) {
      std::vector<std::string> Work{Base}, All;
      std::set<std::string> Seen{Base};
      while (!Work.empty()) {
        std::string Cur = Work.back();
        Work.pop_back();
        auto It = Direct.find(Cur);
        if (It == Direct.end())
          continue;
        for (const std::string &O : It->second)
          if (Seen.insert(O).second) {
            All.push_back(O);
            Work.push_back(O);
          }
      }
      std::sort(All.begin(), All.end());
      Overriders[Base] = std::move(All);
    }
  }

  /// Functions stored into each callable member, by callee id.
  std::unordered_map<std::string, std::vector<std::string>> StoredInto;

  void addStoredCallables(const std::vector<StoredCallableFact> &Stored) {
    for (const StoredCallableFact &S : Stored) {
      std::vector<std::string> &Ids = StoredInto[storedCallableCallee(S.Field)];
      if (!llvm::is_contained(Ids, S.Function))
        Ids.push_back(S.Function);
    }
  }

  /// The functions \p C may run. A call through a callable member runs
  /// what the program stores into it. A virtual call whose receiver's
  /// dynamic type was not known (the extractor devirtualises the others)
  /// may run any override; when more than one has a body, which one runs
  /// is an assumption.
  std::vector<CallTarget> targets(const FunctionFacts &Caller, const CallFact &C) const {
    std::vector<CallTarget> Out;
    if (auto It = StoredInto.find(C.Callee); It != StoredInto.end()) {
      std::vector<std::string> Ids = It->second;
      std::sort(Ids.begin(), Ids.end());
      for (const std::string &Id : Ids)
        if (auto F = Functions.find(Id); F != Functions.end())
          Out.push_back({&F->second, false});
      return Out;
    }
    if (auto It = Functions.find(C.Callee); It != Functions.end())
      Out.push_back({&It->second, false});
    if (C.Virtual)
      if (auto It = Overriders.find(C.Callee); It != Overriders.end())
        for (const std::string &O : It->second)
          if (auto F = Functions.find(O); F != Functions.end())
            Out.push_back({&F->second, false});
    if (Out.size() > 1)
      for (CallTarget &T : Out) {
        T.Assumed = true;
        // `this->hook()` under `this->mu_` runs T on objects of T's class,
        // unless that class also overrides the caller (then the caller
        // never runs on them through dispatch).
        T.OnThis = C.Virtual && C.Receiver && C.Receiver->Key == "this" && !overridesIn(Caller, T.Function->Name);
      }
    // A class calling the base's virtual function on another object
    // (`Wrapper::f() { inner_->f(); }`, `inner_->g()`) forwards to the
    // object it wraps, another implementation: that it is one more wrapper
    // is an assumption, even when the wrapper's override is the only one
    // whose body is known.
    if (C.Virtual && C.Callee != Caller.Id && !(C.Receiver && C.Receiver->Key == "this"))
      for (CallTarget &T : Out)
        if (T.Function->Id != C.Callee && classOf(T.Function->Name) == classOf(Caller.Name))
          T.Assumed = true;
    return Out;
  }

  /// Whether the class of \p Method overrides \p F.
  bool overridesIn(const FunctionFacts &F, llvm::StringRef Method) const {
    auto It = Overriders.find(F.Id);
    if (It == Overriders.end())
      return false;
    return llvm::any_of(It->second, [&](const std::string &O) {
      auto G = Functions.find(O);
      return G != Functions.end() && classOf(G->second.Name) == classOf(Method);
    });
  }

  /// "ns::Class" of "ns::Class::method" (template arguments may hold "::").
  static llvm::StringRef classOf(llvm::StringRef QualifiedName) {
    int Depth = 0;
    size_t Last = llvm::StringRef::npos;
    for (size_t I = 0; I + 1 < QualifiedName.size(); ++I) {
      char Ch = QualifiedName[I];
      if (Ch == '<' || Ch == '(')
        ++Depth;
      else if ((Ch == '>' || Ch == ')') && Depth > 0)
        --Depth;
      else if (Depth == 0 && Ch == ':' && QualifiedName[I + 1] == ':')
        Last = I;
    }
    return Last == llvm::StringRef::npos ? llvm::StringRef() : QualifiedName.take_front(Last);
  }

  static ChainStep stepInto(const FunctionFacts &Caller, const CallFact &C, const CallTarget &T, size_t Overrides) {
    ChainStep S{C.Site, Caller.Name, T.Function->Name, {}};
    if (T.Assumed && T.OnThis)
      S.Assumption = "on a " + quoted(classOf(T.Function->Name).str()) + " object, the call to " + quoted(C.CalleeName) +
                     " on 'this' runs " + quoted(T.Function->Name) + " (one of " + std::to_string(Overrides) +
                     " overrides)";
    else if (T.Assumed && Overrides == 1)
      S.Assumption = "assumed: the call to " + quoted(C.CalleeName) + " runs " + quoted(T.Function->Name) +
                     " on the object " + quoted(Caller.Name) + " forwards to, the only override known; that " +
                     "object's dynamic type is not known here";
    else if (T.Assumed)
      S.Assumption = "assumed: the call to " + quoted(C.CalleeName) + " may run " + quoted(T.Function->Name) +
                     ", one of " + std::to_string(Overrides) +
                     " overrides; the receiver's dynamic type is not known here";
    return S;
  }

  /// What was released before \p M is taken, in the terms of the caller
  /// making call \p C: released by the caller before the call, or by the
  /// callee chain (translated).
  std::vector<LockRef> releasedThrough(const CallFact &C, const MayAcquire &M) const {
    std::vector<LockRef> Out = C.ReleasedBefore;
    for (const LockRef &R : M.Released)
      if (std::optional<LockRef> T = translateAt(R, C))
        Out.push_back(std::move(*T));
    return Out;
  }

  const std::vector<MayAcquire> &mayAcquire(const FunctionFacts &F) {
    static const std::vector<MayAcquire> Nothing;
    if (auto It = MayMemo.find(F.Id); It != MayMemo.end())
      return It->second;
    if (InProgress.count(F.Id))
      return Nothing;
    if (Depth >= Options.MaxCallDepth) {
      if (Hits.CallDepthCuts++ == 0)
        Hits.FirstCallDepthCut = F.Name;
      return Nothing;
    }
    InProgress.insert(F.Id);
    ++Depth;
    std::vector<MayAcquire> Out;
    std::map<std::pair<std::string, std::string>, size_t> Seen; // -> index in Out
    bool Capped = false;
    auto Add = [&](MayAcquire M) {
      std::string Variant = M.Lock.Key + (M.Shared ? "/s" : "");
      for (const auto &[Param, Value] : M.When)
        Variant += "/" + std::to_string(Param) + (Value ? "t" : "f");
      auto [It, New] = Seen.try_emplace({M.Lock.Class, std::move(Variant)}, Out.size());
      if (!New) {
        // Prefer a way to take it that needs no assumption and, among
        // those, one with no lock of the callee's held: that one is a
        // direct order for the caller.
        MayAcquire &Old = Out[It->second];
        if ((Old.Assumed && !M.Assumed) || (Old.Assumed && !Old.AssumedOnThis && M.AssumedOnThis) ||
            (Old.Assumed == M.Assumed && Old.AssumedOnThis == M.AssumedOnThis && Old.UnderLock && !M.UnderLock))
          Old = std::move(M);
        return;
      }
      if (Out.size() < Options.MaxMayAcquire) {
        Out.push_back(std::move(M));
      } else {
        Seen.erase(It);
        Capped = true;
      }
    };
    for (const AcquireFact &A : F.Acquires)
      if (!A.Try)
        Add(MayAcquire{A.Lock, A.Shared, A.Site, nullptr, A.ReleasedBefore, anyDefinitelyHeld(A.Held), false, false,
                       A.When});
    for (const CallFact &C : F.Calls) {
      bool HeldAtCall = anyDefinitelyHeld(C.Held);
      forEachCalleeAcquire(F, C, [&](const CallTarget &T, size_t Targets, const MayAcquire &M, const LockRef &L) {
        Chain Calls = std::make_shared<const ChainLink>(ChainLink{stepInto(F, C, T, Targets), M.Calls});
        Add(MayAcquire{L, M.Shared, M.Site, std::move(Calls), releasedThrough(C, M), M.UnderLock || HeldAtCall,
                       M.Assumed || T.Assumed, assumedOnThis(C, T, M.Assumed, M.AssumedOnThis), {}});
      });
    }
    if (Capped && Hits.MayAcquireCaps++ == 0)
      Hits.FirstMayAcquireCap = F.Name;
    --Depth;
    InProgress.erase(F.Id);
    return MayMemo[F.Id] = std::move(Out);
  }

  /// What the callees of \p C may acquire, in the caller's terms: \p Visit
  /// gets each target, how many targets the call has, a lock the target
  /// may acquire that the call's constant arguments do not exclude, and
  /// that lock as the caller names it (skipped when it cannot).
  template <class Fn> void forEachCalleeAcquire(const FunctionFacts &F, const CallFact &C, Fn Visit) {
    // An assertion macro's own calls run only to report a failed
    // assertion (and not at all in release builds): an order or a double
    // lock that needs one is not the program's, as for blocking calls
    // (CrossUnitBlocking.cpp) and callbacks.
    if (C.InAssertion)
      return;
    std::vector<CallTarget> Targets = targets(F, C);
    for (const CallTarget &T : Targets)
      for (const MayAcquire &M : mayAcquire(*T.Function)) {
        if (excludedByArguments(M.When, C))
          continue;
        if (std::optional<LockRef> L = translateAt(M.Lock, C))
          Visit(T, Targets.size(), M, *L);
      }
  }

  /// `F` takes `L` (at `Site`, through `Chain`) while holding `H` and `All`.
  /// The chain is \p Head (when set) followed by \p Tail; it is built
  /// only when a report or a new edge needs it. \p UnderLock: see
  /// MayAcquire; such an acquisition is a double lock or a nesting, never
  /// an edge of its own. \p AssumedOnThis: see MayAcquire.
  void relate(const FunctionFacts &F, const HeldFact &H, const std::vector<HeldFact> &All, const LockRef &L,
              bool Shared, const FactLoc &Site, const std::optional<ChainStep> &Head, const Chain &Tail,
              const FactLoc &FinalSite, bool UnderLock, bool Assumed, bool AssumedOnThis = false) {
    auto Witness = [&] {
      EdgeWitness W{F.Name, H.Lock.Spelling, H.AcquiredAt, {}, L.Spelling, FinalSite, Site};
      if (Head) {
        W.Chain.push_back(*Head);
        for (ChainStep &S : stepsOf(Tail))
          W.Chain.push_back(std::move(S));
      }
      return W;
    };
    if (sameInstance(H.Lock, L)) {
      bool Harmless = H.Lock.Kind == FactMutexKind::Recursive || (H.Shared && Shared);
      // The same lock of `this` taken again through `this->hook()`: on
      // objects of the override's class that is what F does, an
      // assumption only about some other object's type.
      bool OnOwnObject = AssumedOnThis && llvm::StringRef(L.Key).starts_with("this.");
      if (!Harmless && H.Definitely)
        reportDoubleLock(Witness(), H, L, Shared, Assumed && !OnOwnObject);
      return;
    }
    // No other thread can hold a lock of an object only this one sees, so
    // waiting for it, or holding it while waiting, orders nothing.
    if (H.Lock.Fresh || L.Fresh)
      return;
    if (H.Lock.Class == L.Class) {
      if (H.Shared && Shared)
        return;
      // A global object's lock (`Registry::Instance().mu`) and one a caller
      // chooses (`this->mu`) may be the same lock; if not, this code always
      // takes the global second, and no caller can swap them here. Only
      // another place taking the global first makes a cycle.
      if (std::string Global = globalOwnerAgainstOther(L, H.Lock); !Global.empty())
        noteRelationOrder(L.Class, Global, true, Witness, Assumed);
      else if (std::string Global = globalOwnerAgainstOther(H.Lock, L); !Global.empty())
        noteRelationOrder(L.Class, Global, false, Witness, Assumed);
      // Parent then child along one relation (`n->mu`, then `n->next->mu`)
      // is one order; only the same relation walked both ways is a cycle.
      else if (std::string Down = relationBetween(H.Lock, L); !Down.empty())
        noteRelationOrder(L.Class, Down, true, Witness, Assumed);
      else if (std::string Up = relationBetween(L, H.Lock); !Up.empty())
        noteRelationOrder(L.Class, Up, false, Witness, Assumed);
      else
        reportNesting(Witness(), L.Class, Assumed);
      return;
    }
    if (UnderLock)
      return;
    auto IsGate = [&](const std::string &Class) {
      if (Class == H.Lock.Class || Class == L.Class)
        return false;
      for (const HeldFact &G : All)
        if (G.Lock.Class == Class)
          return true;
      return false;
    };
    // Most edges are seen once: the witness is built only for a new edge.
    auto [It, New] = EdgeMap.try_emplace({H.Lock.Class, L.Class});
    LockEdge &E = It->second;
    if (New) {
      E.From = H.Lock.Class;
      E.To = L.Class;
      E.Witness = Witness();
      E.Assumed = Assumed;
      for (const HeldFact &G : All)
        if (IsGate(G.Lock.Class))
          E.Gates.push_back(G.Lock.Class);
      std::sort(E.Gates.begin(), E.Gates.end());
      E.Gates.erase(std::unique(E.Gates.begin(), E.Gates.end()), E.Gates.end());
    } else {
      if (!E.Gates.empty())
        llvm::erase_if(E.Gates, [&](const std::string &G) { return !IsGate(G); });
      // A witness that needs no assumption replaces one that does; else
      // the shortest call chain is the witness a reviewer can follow.
      size_t Length = Head ? 1 + lengthOf(Tail) : 0;
      if ((E.Assumed && !Assumed) || (E.Assumed == Assumed && Length < E.Witness.Chain.size())) {
        E.Witness = Witness();
        E.Assumed = Assumed;
      }
    }
    ++E.Witnesses;
  }

  /// Records \p R as the finding under \p Key in \p Index, unless one is
  /// there already; one that needs an assumption gives way to one that
  /// does not.
  template <typename KeyT>
  void addOnce(std::map<KeyT, size_t> &Index, const KeyT &Key, LockReport R) {
    auto [It, New] = Index.try_emplace(Key, Reports.size());
    if (New)
      Reports.push_back(std::move(R));
    else if (Reports[It->second].Assumed && !R.Assumed)
      Reports[It->second] = std::move(R);
  }

  void reportDoubleLock(const EdgeWitness &W, const HeldFact &H, const LockRef &L, bool Shared, bool Assumed) {
    auto Key = std::make_tuple(W.Site.File, W.Site.Line, W.Site.Column, L.Key);
    if (auto It = DoubleLocksReported.find(Key); It != DoubleLocksReported.end() && (Assumed || !Reports[It->second].Assumed))
      return;
    LockReport R;
    R.Assumed = Assumed;
    R.Check = DoubleLockCheckName;
    R.Where = W.Site;
    std::string Name = quoted(H.Lock.Spelling);
    std::string Mode, Held, Reason;
    if (H.Shared && !Shared) {
      Mode = " exclusively";
      Held = " shared";
      Reason = "the upgrade waits for this thread's own shared lock and never returns";
    } else if (!H.Shared && Shared) {
      Mode = " shared";
      Held = " exclusively";
      Reason = "the shared lock waits for this thread's own exclusive lock and never returns";
    } else {
      Reason = "a non-recursive mutex deadlocks on itself";
    }
    if (W.Chain.empty())
      R.Message = Name + " locked" + Mode + " while already held" + Held + ": " + Reason;
    else
      R.Message = "call to " + quoted(W.Chain.front().Callee) + " locks " + Name + Mode + ", which is already held" +
                  Held + ": " + Reason;
    R.Notes.push_back({Name + " acquired here", H.AcquiredAt});
    if (!W.Chain.empty()) {
      addAssumptionNote(R.Notes, W.Chain.front());
      for (size_t I = 1; I < W.Chain.size(); ++I) {
        R.Notes.push_back({quoted(W.Chain[I].Caller) + " calls " + quoted(W.Chain[I].Callee) + " here",
                           W.Chain[I].Site});
        addAssumptionNote(R.Notes, W.Chain[I]);
      }
      R.Notes.push_back({quoted(W.Chain.back().Callee) + " locks " + quoted(L.Spelling) + " here", W.AcquiredAt});
    }
    addOnce(DoubleLocksReported, Key, std::move(R));
  }

  void reportNesting(const EdgeWitness &W, const std::string &Class, bool Assumed) {
    if (auto It = NestedClassesReported.find(Class);
        It != NestedClassesReported.end() && (Assumed || !Reports[It->second].Assumed))
      return;
    LockReport R;
    R.Assumed = Assumed;
    R.Check = LockOrderCheckName;
    R.Where = W.Site;
    R.Cycle = {Class};
    R.Message = "two locks of class " + quoted(Class) + " nested: " + quoted(W.AcquiredSpelling) +
                " acquired while holding " + quoted(W.HeldSpelling) +
                "; callers that pass them in the opposite order deadlock";
    R.Notes.push_back({quoted(W.HeldSpelling) + " acquired here", W.HeldAt});
    addChainNotes(R.Notes, W, W.HeldSpelling);
    R.Notes.push_back({quoted(W.AcquiredSpelling) + " acquired here while " + quoted(W.HeldSpelling) +
                           " is held; lock both at once with std::scoped_lock (or std::lock), or always in one "
                           "fixed order (for example by address)",
                       W.AcquiredAt});
    addOnce(NestedClassesReported, Class, std::move(R));
  }

  /// The first witness of each direction (parent first, child first) along
  /// one relation (".next") of one lock class.
  struct RelationOrders {
    std::optional<EdgeWitness> Down, Up;
    bool DownAssumed = false, UpAssumed = false;
  };
  std::map<std::pair<std::string, std::string>, RelationOrders> Relations;

  template <typename WitnessFn>
  void noteRelationOrder(const std::string &Class, const std::string &Relation, bool Down, WitnessFn &Witness,
                         bool Assumed) {
    RelationOrders &R = Relations[{Class, Relation}];
    std::optional<EdgeWitness> &W = Down ? R.Down : R.Up;
    bool &WasAssumed = Down ? R.DownAssumed : R.UpAssumed;
    if (!W || (WasAssumed && !Assumed)) {
      W = Witness();
      WasAssumed = Assumed;
    }
  }

  void reportRelationsWalkedBothWays() {
    for (const auto &[Key, R] : Relations)
      if (R.Down && R.Up)
        reportNesting(*R.Up, Key.first, R.UpAssumed || R.DownAssumed);
  }

  void collectEdges() {
    for (const auto &[Id, F] : Functions) {
      for (const AcquireFact &A : F.Acquires) {
        if (A.Try)
          continue;
        for (const HeldFact &H : A.Held)
          relate(F, H, A.Held, A.Lock, A.Shared, A.Site, std::nullopt, nullptr, A.Site, /*UnderLock=*/false,
                 /*Assumed=*/false);
      }
      for (const CallFact &C : F.Calls) {
        if (C.Held.empty())
          continue;
        forEachCalleeAcquire(F, C, [&](const CallTarget &T, size_t Targets, const MayAcquire &M, const LockRef &L) {
          std::optional<ChainStep> Head;
          std::vector<LockRef> Released = releasedThrough(C, M);
          for (const HeldFact &H : C.Held)
            if (!releasedBefore(H, Released)) {
              if (!Head)
                Head = stepInto(F, C, T, Targets);
              relate(F, H, C.Held, L, M.Shared, C.Site, Head, M.Calls, M.Site, M.UnderLock, M.Assumed || T.Assumed,
                     assumedOnThis(C, T, M.Assumed, M.AssumedOnThis));
            }
        });
      }
    }
    reportRelationsWalkedBothWays();
    Edges.reserve(EdgeMap.size());
    for (auto &[Key, E] : EdgeMap)
      Edges.push_back(std::move(E));
    EdgeMap.clear();
  }

  void findCycles() {
    // Nodes numbered in class-name order, so output does not depend on
    // the order facts arrived in.
    std::map<std::string, unsigned> Ids;
    for (const LockEdge &E : Edges) {
      Ids.emplace(E.From, 0);
      Ids.emplace(E.To, 0);
    }
    std::vector<std::string> Names;
    for (auto &[Name, Id] : Ids) {
      Id = unsigned(Names.size());
      Names.push_back(Name);
    }
    LockGraph Graph;
    std::unordered_map<uint64_t, const LockEdge *> ByNodes;
    ByNodes.reserve(Edges.size());
    auto NodePair = [](unsigned From, unsigned To) { return (uint64_t(From) << 32) | To; };
    for (const LockEdge &E : Edges) {
      unsigned From = Ids[E.From], To = Ids[E.To];
      Graph.addEdge(From, To);
      ByNodes[NodePair(From, To)] = &E;
    }
    // One finding per strongly connected component of lock classes: a
    // component with many cycles (a 200-lock ring with chords, mutual
    // recursion) is one problem, not thousands of findings.
    std::vector<int> ComponentOf(Names.size(), -1);
    std::vector<std::vector<LockGraph::Node>> Components = Graph.cyclicComponents();
    for (size_t C = 0; C < Components.size(); ++C)
      for (LockGraph::Node V : Components[C])
        ComponentOf[V] = int(C);
    std::vector<std::vector<std::vector<const LockEdge *>>> CyclesOf(Components.size()),
        AssumedCyclesOf(Components.size());
    std::vector<LockGraph::Cycle> Covering = Graph.coveringCycles(Options.MaxCycles + 1);
    if (Covering.size() > Options.MaxCycles) {
      Covering.resize(Options.MaxCycles);
      Hits.CyclesBeyondCap = 1; // at least one; counting them all is the cost the cap avoids
    }
    for (const LockGraph::Cycle &C : Covering) {
      std::vector<const LockEdge *> CycleEdges;
      for (size_t I = 0; I < C.size(); ++I)
        CycleEdges.push_back(ByNodes[NodePair(C[I], C[(I + 1) % C.size()])]);
      if (gated(CycleEdges))
        continue;
      // Anchor at the edge acquired first in source order: stable output.
      size_t First = 0;
      for (size_t I = 1; I < CycleEdges.size(); ++I)
        if (locBefore(CycleEdges[I]->Witness.Site, CycleEdges[First]->Witness.Site))
          First = I;
      std::rotate(CycleEdges.begin(), CycleEdges.begin() + First, CycleEdges.end());
      // Cycles that need an assumed edge are grouped apart: they are
      // dropped unless AssumeEveryOverride, and must not hide or carry in
      // a component's cycles that need none.
      bool Assumed = llvm::any_of(CycleEdges, [](const LockEdge *E) { return E->Assumed; });
      (Assumed ? AssumedCyclesOf : CyclesOf)[ComponentOf[C.front()]].push_back(std::move(CycleEdges));
    }
    for (bool Assumed : {false, true})
      for (std::vector<std::vector<const LockEdge *>> &Cycles : Assumed ? AssumedCyclesOf : CyclesOf) {
        if (Cycles.empty())
          continue;
        Reports.push_back(Cycles.size() == 1 ? cycleReport(Cycles.front()) : componentReport(Cycles));
        Reports.back().Assumed = Assumed;
      }
  }

  /// Several cycles through one set of locks: one report, anchored at the
  /// edge first in source order, with one witness per edge of any of them,
  /// the cycle through the anchor first.
  static LockReport componentReport(std::vector<std::vector<const LockEdge *>> &Cycles) {
    std::stable_sort(Cycles.begin(), Cycles.end(), [](const auto &A, const auto &B) {
      return locBefore(A.front()->Witness.Site, B.front()->Witness.Site);
    });
    std::vector<const LockEdge *> Edges;
    std::set<const LockEdge *> Seen;
    std::set<std::string> Locks;
    for (const std::vector<const LockEdge *> &C : Cycles)
      for (const LockEdge *E : C) {
        Locks.insert(E->From);
        if (Seen.insert(E).second)
          Edges.push_back(E);
      }
    LockReport R = cycleReport(Cycles.front());
    R.Cycle.assign(Locks.begin(), Locks.end());
    std::string Example = R.Message.substr(0, R.Message.find(':'));
    R.Message = componentMessage(Locks, Edges.size(), Cycles.size(), Example.substr(Example.find('\''))) +
                "; threads taking these locks in these orders can deadlock";
    R.Notes.clear();
    for (size_t I = 0; I < Edges.size(); ++I)
      addEdgeWitnessNotes(R.Notes, Edges[I]->Witness,
                          "(edge " + std::to_string(I + 1) + " of " + std::to_string(Edges.size()) + ", " +
                              quoted(Edges[I]->From) + " -> " + quoted(Edges[I]->To) + ")");
    return R;
  }

  static bool gated(const std::vector<const LockEdge *> &CycleEdges) {
    std::vector<std::string> Common = CycleEdges.front()->Gates;
    for (const LockEdge *E : CycleEdges) {
      std::vector<std::string> Next;
      std::set_intersection(Common.begin(), Common.end(), E->Gates.begin(), E->Gates.end(),
                            std::back_inserter(Next));
      Common = std::move(Next);
    }
    return !Common.empty();
  }

  static LockReport cycleReport(const std::vector<const LockEdge *> &CycleEdges) {
    LockReport R;
    R.Check = LockOrderCheckName;
    R.Where = CycleEdges.front()->Witness.Site;
    std::string Path;
    for (const LockEdge *E : CycleEdges) {
      R.Cycle.push_back(E->From);
      Path += quoted(E->From) + " -> ";
    }
    Path += quoted(CycleEdges.front()->From);
    R.Message = "lock-order cycle " + Path + ": threads taking these locks in these orders can deadlock";
    for (size_t I = 0; I < CycleEdges.size(); ++I) {
      const EdgeWitness &W = CycleEdges[I]->Witness;
      std::string Edge = "(edge " + std::to_string(I + 1) + " of " + std::to_string(CycleEdges.size()) + ")";
      addEdgeWitnessNotes(R.Notes, W, Edge);
    }
    return R;
  }

  /// Findings resting on an assumed dispatch are kept only on request.
  void dropAssumed() {
    if (!Options.AssumeEveryOverride)
      llvm::erase_if(Reports, [](const LockReport &R) { return R.Assumed; });
  }

  void sortReports() {
    std::stable_sort(Reports.begin(), Reports.end(), [](const LockReport &A, const LockReport &B) {
      if (A.Where.File != B.Where.File || A.Where.Line != B.Where.Line || A.Where.Column != B.Where.Column)
        return locBefore(A.Where, B.Where);
      return std::tie(A.Check, A.Message) < std::tie(B.Check, B.Message);
    });
  }
};

LockOrderLinker::LockOrderLinker(LinkOptions Options) : P(std::make_unique<Impl>(Options)) {}
LockOrderLinker::~LockOrderLinker() = default;

void LockOrderLinker::add(const TUFacts &TU) { add(TUFacts(TU)); }

void LockOrderLinker::add(TUFacts &&TU) {
  unsigned Unit = P->Units++;
  for (FunctionFacts &F : TU.Functions)
    P->add(std::move(F), Unit);
  P->LockTypes.add(TU.LockTypes);
  P->addStoredCallables(TU.StoredCallables);
  for (VirtualCallbackFact &C : TU.VirtualCallbacks)
    P->VirtualCallbacks.push_back(std::move(C));
  std::move(TU.LockPointerStores.begin(), TU.LockPointerStores.end(), std::back_inserter(P->LockPointerStores));
}

void LockOrderLinker::link() {
  P->applyLockTypes();
  P->applyFieldAliases();
  P->indexOverrides();
  P->HarmlessCallbacks = harmlessVirtualCallbacks(P->VirtualCallbacks, P->HarmlessVerdicts, P->Overriders);
  P->collectEdges();
  P->findCycles();
  P->dropAssumed();
  auto InCaller = [&](const LockRef &L, const CallFact &C) { return P->translateAt(L, C); };
  for (LockReport &R : crossUnitBlockingReports(P->Functions, P->DefinedIn, InCaller))
    P->Reports.push_back(std::move(R));
  P->sortReports();
}

const std::vector<LockEdge> &LockOrderLinker::edges() const { return P->Edges; }
const std::vector<LockReport> &LockOrderLinker::reports() const { return P->Reports; }
const LinkLimitHits &LockOrderLinker::limitHits() const { return P->Hits; }
const std::vector<VirtualCallbackFact> &LockOrderLinker::harmlessCallbacks() const { return P->HarmlessCallbacks; }
size_t LockOrderLinker::functionCount() const { return P->Functions.size(); }

} // namespace lockgraph
