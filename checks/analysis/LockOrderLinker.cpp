//===- LockOrderLinker.cpp ------------------------------------------------===//

#include "analysis/LockOrderLinker.h"
#include "analysis/LockGraph.h"

#include "llvm/ADT/STLExtras.h"

#include <algorithm>
#include <set>
#include <tuple>

namespace lockgraph {
namespace {

/// A lock a call to some function may acquire, in that function's terms.
struct MayAcquire {
  LockRef Lock;
  bool Shared = false;
  FactLoc Site;                 // where it is finally taken
  std::vector<ChainStep> Chain; // calls from the function down to Site
  /// The function's caller's locks released on the way before it is taken.
  std::vector<LockRef> Released;
  /// Taken only when the function's parameters have these values.
  std::vector<std::pair<unsigned, bool>> When;
};

/// Whether \p Call passes a constant that rules out what is taken only
/// \p When (`Apply(/*need_lock=*/false)` and `if (need_lock) mu.Lock();`).
bool excludedByArguments(const std::vector<std::pair<unsigned, bool>> &When, const CallFact &Call) {
  for (const auto &[Param, Value] : When)
    if (Param < Call.BoolArgs.size() && Call.BoolArgs[Param] && *Call.BoolArgs[Param] != Value)
      return true;
  return false;
}

/// Whether \p H was released before the acquisition: then holding it is
/// no order and no double lock (`mu.Unlock(); ...; mu.Lock();` in a callee).
bool releasedBefore(const LockRef &H, const std::vector<LockRef> &Released) {
  for (const LockRef &R : Released)
    if (R.Key == H.Key || (R.Class == H.Class && (R.Key == "?" || H.Key == "?")))
      return true;
  return false;
}

/// The key of a translated lock whose instance is unknown: never equal to
/// another, so it can nest a class but never double-lock.
const char *UnknownInstance = "?";

bool sameInstance(const LockRef &A, const LockRef &B) { return A.Key == B.Key && A.Key != UnknownInstance; }

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

void addChainNotes(std::vector<LockReportNote> &Notes, const EdgeWitness &W, const std::string &Held) {
  for (const ChainStep &S : W.Chain)
    Notes.push_back({quoted(S.Caller) + " calls " + quoted(S.Callee) + " here while " + quoted(Held) + " is held",
                     S.Site});
}

} // namespace

bool sourceOrderBefore(const FactLoc &A, const FactLoc &B) {
  return std::tie(A.File, A.Line, A.Column) < std::tie(B.File, B.Line, B.Column);
}

std::string quotedName(const std::string &Name) { return "'" + Name + "'"; }

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

  std::map<std::pair<std::string, std::string>, LockEdge> EdgeMap;
  std::vector<LockEdge> Edges;
  std::vector<LockReport> Reports;
  std::set<std::string> NestedClassesReported;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> DoubleLocksReported;

  void add(FunctionFacts &&F) {
    std::string Id = F.Id;
    Functions.try_emplace(std::move(Id), std::move(F));
  }

  /// Discovered mutex classes some unit saw made recursive (by the
  /// constructor only that unit could read).
  std::set<std::string> RecursiveTypes;

  void addLockTypes(const std::vector<LockTypeFact> &Types) {
    for (const LockTypeFact &T : Types)
      if (T.Kind == FactMutexKind::Recursive)
        RecursiveTypes.insert(T.Name);
  }

  /// What one unit learnt about a class holds in every unit.
  void applyLockTypes() {
    if (RecursiveTypes.empty())
      return;
    auto Fix = [&](LockRef &L) {
      if (!L.Type.empty() && RecursiveTypes.count(L.Type))
        L.Kind = FactMutexKind::Recursive;
    };
    for (auto &[Id, F] : Functions) {
      for (AcquireFact &A : F.Acquires) {
        Fix(A.Lock);
        for (HeldFact &H : A.Held)
          Fix(H.Lock);
      }
      for (CallFact &C : F.Calls)
        for (HeldFact &H : C.Held)
          Fix(H.Lock);
    }
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

  std::vector<const FunctionFacts *> targets(const CallFact &C) const {
    std::vector<const FunctionFacts *> Out;
    if (auto It = StoredInto.find(C.Callee); It != StoredInto.end()) {
      std::vector<std::string> Ids = It->second;
      std::sort(Ids.begin(), Ids.end());
      for (const std::string &Id : Ids)
        if (auto F = Functions.find(Id); F != Functions.end())
          Out.push_back(&F->second);
      return Out;
    }
    if (auto It = Functions.find(C.Callee); It != Functions.end())
      Out.push_back(&It->second);
    if (C.Virtual)
      if (auto It = Overriders.find(C.Callee); It != Overriders.end())
        for (const std::string &O : It->second)
          if (auto F = Functions.find(O); F != Functions.end())
            Out.push_back(&F->second);
    return Out;
  }

  /// What was released before \p M is taken, in the terms of the caller
  /// making call \p C: released by the caller before the call, or by the
  /// callee chain (translated).
  static std::vector<LockRef> releasedThrough(const CallFact &C, const MayAcquire &M) {
    std::vector<LockRef> Out = C.ReleasedBefore;
    for (const LockRef &R : M.Released)
      if (std::optional<LockRef> T = translate(R, C))
        Out.push_back(std::move(*T));
    return Out;
  }

  const std::vector<MayAcquire> &mayAcquire(const FunctionFacts &F) {
    static const std::vector<MayAcquire> Nothing;
    if (auto It = MayMemo.find(F.Id); It != MayMemo.end())
      return It->second;
    if (InProgress.count(F.Id) || Depth >= Options.MaxCallDepth)
      return Nothing;
    InProgress.insert(F.Id);
    ++Depth;
    std::vector<MayAcquire> Out;
    std::set<std::pair<std::string, std::string>> Seen;
    auto Add = [&](MayAcquire M) {
      std::string Variant = M.Lock.Key + (M.Shared ? "/s" : "");
      for (const auto &[Param, Value] : M.When)
        Variant += "/" + std::to_string(Param) + (Value ? "t" : "f");
      if (Out.size() < Options.MaxMayAcquire && Seen.insert({M.Lock.Class, std::move(Variant)}).second)
        Out.push_back(std::move(M));
    };
    for (const AcquireFact &A : F.Acquires)
      if (!A.Try)
        Add(MayAcquire{A.Lock, A.Shared, A.Site, {}, A.ReleasedBefore, A.When});
    for (const CallFact &C : F.Calls)
      for (const FunctionFacts *G : targets(C))
        for (const MayAcquire &M : mayAcquire(*G)) {
          if (excludedByArguments(M.When, C))
            continue;
          std::optional<LockRef> L = translate(M.Lock, C);
          if (!L)
            continue;
          MayAcquire Up{*L, M.Shared, M.Site, {}, releasedThrough(C, M)};
          Up.Chain.push_back(ChainStep{C.Site, F.Name, G->Name});
          Up.Chain.insert(Up.Chain.end(), M.Chain.begin(), M.Chain.end());
          Add(std::move(Up));
        }
    --Depth;
    InProgress.erase(F.Id);
    return MayMemo[F.Id] = std::move(Out);
  }

  /// `F` takes `L` (at `Site`, through `Chain`) while holding `H` and `All`.
  /// The chain is \p Head (when set) followed by \p Tail; it is built
  /// only when a report or a new edge needs it.
  void relate(const FunctionFacts &F, const HeldFact &H, const std::vector<HeldFact> &All, const LockRef &L,
              bool Shared, const FactLoc &Site, const std::optional<ChainStep> &Head,
              const std::vector<ChainStep> &Tail, const FactLoc &FinalSite) {
    auto Witness = [&] {
      EdgeWitness W{F.Name, H.Lock.Spelling, H.AcquiredAt, {}, L.Spelling, FinalSite, Site};
      if (Head) {
        W.Chain.reserve(1 + Tail.size());
        W.Chain.push_back(*Head);
        W.Chain.insert(W.Chain.end(), Tail.begin(), Tail.end());
      }
      return W;
    };
    if (sameInstance(H.Lock, L)) {
      bool Harmless = H.Lock.Kind == FactMutexKind::Recursive || (H.Shared && Shared);
      if (!Harmless && H.Definitely)
        reportDoubleLock(Witness(), H, L, Shared);
      return;
    }
    if (H.Lock.Class == L.Class) {
      if (!(H.Shared && Shared))
        reportNesting(Witness(), L.Class);
      return;
    }
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
      for (const HeldFact &G : All)
        if (IsGate(G.Lock.Class))
          E.Gates.push_back(G.Lock.Class);
      std::sort(E.Gates.begin(), E.Gates.end());
      E.Gates.erase(std::unique(E.Gates.begin(), E.Gates.end()), E.Gates.end());
    } else {
      if (!E.Gates.empty())
        llvm::erase_if(E.Gates, [&](const std::string &G) { return !IsGate(G); });
      // The shortest call chain is the witness a reviewer can follow.
      size_t Length = Head ? 1 + Tail.size() : 0;
      if (Length < E.Witness.Chain.size())
        E.Witness = Witness();
    }
    ++E.Witnesses;
  }

  void reportDoubleLock(const EdgeWitness &W, const HeldFact &H, const LockRef &L, bool Shared) {
    if (!DoubleLocksReported.insert({W.Site.File, W.Site.Line, W.Site.Column, L.Key}).second)
      return;
    LockReport R;
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
      for (size_t I = 1; I < W.Chain.size(); ++I)
        R.Notes.push_back({quoted(W.Chain[I].Caller) + " calls " + quoted(W.Chain[I].Callee) + " here",
                           W.Chain[I].Site});
      R.Notes.push_back({quoted(W.Chain.back().Callee) + " locks " + quoted(L.Spelling) + " here", W.AcquiredAt});
    }
    Reports.push_back(std::move(R));
  }

  void reportNesting(const EdgeWitness &W, const std::string &Class) {
    if (!NestedClassesReported.insert(Class).second)
      return;
    LockReport R;
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
    Reports.push_back(std::move(R));
  }

  void collectEdges() {
    for (const auto &[Id, F] : Functions) {
      for (const AcquireFact &A : F.Acquires) {
        if (A.Try)
          continue;
        for (const HeldFact &H : A.Held)
          relate(F, H, A.Held, A.Lock, A.Shared, A.Site, std::nullopt, {}, A.Site);
      }
      for (const CallFact &C : F.Calls) {
        if (C.Held.empty())
          continue;
        for (const FunctionFacts *G : targets(C))
          for (const MayAcquire &M : mayAcquire(*G)) {
            if (excludedByArguments(M.When, C))
              continue;
            std::optional<LockRef> L = translate(M.Lock, C);
            if (!L)
              continue;
            std::optional<ChainStep> Head;
            std::vector<LockRef> Released = releasedThrough(C, M);
            for (const HeldFact &H : C.Held)
              if (!releasedBefore(H.Lock, Released)) {
                if (!Head)
                  Head = ChainStep{C.Site, F.Name, G->Name};
                relate(F, H, C.Held, *L, M.Shared, C.Site, Head, M.Chain, M.Site);
              }
          }
      }
    }
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
    for (const LockGraph::Cycle &C : Graph.coveringCycles(Options.MaxCycles)) {
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
      Reports.push_back(cycleReport(CycleEdges));
    }
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

void LockOrderLinker::add(const TUFacts &TU) {
  for (const FunctionFacts &F : TU.Functions)
    P->add(FunctionFacts(F));
  P->addLockTypes(TU.LockTypes);
  P->addStoredCallables(TU.StoredCallables);
}

void LockOrderLinker::add(TUFacts &&TU) {
  for (FunctionFacts &F : TU.Functions)
    P->add(std::move(F));
  P->addLockTypes(TU.LockTypes);
  P->addStoredCallables(TU.StoredCallables);
}

void LockOrderLinker::link() {
  P->applyLockTypes();
  P->indexOverrides();
  P->collectEdges();
  P->findCycles();
  P->sortReports();
}

const std::vector<LockEdge> &LockOrderLinker::edges() const { return P->Edges; }
const std::vector<LockReport> &LockOrderLinker::reports() const { return P->Reports; }
size_t LockOrderLinker::functionCount() const { return P->Functions.size(); }

} // namespace lockgraph
