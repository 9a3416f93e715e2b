//===- LockTypeVerdicts.cpp -----------------------------------------------===//

#include "analysis/LockTypeVerdicts.h"

#include "llvm/ADT/STLExtras.h"

namespace lockgraph {

void LockTypeVerdicts::add(const std::vector<LockTypeFact> &Types) {
  for (const LockTypeFact &T : Types) {
    Evidence &E = Seen[T.Name];
    if (T.How == "body")
      (T.IsLock ? E.BodySaysLock : E.BodySaysNone) = true;
    if (T.IsLock && T.Kind == FactMutexKind::Recursive)
      E.SomeUnitSaysRecursive = true;
    if (!T.Wraps.empty() && !llvm::is_contained(E.Wraps, T.Wraps))
      E.Wraps.push_back(T.Wraps);
  }
}

void LockTypeVerdicts::settle() {
  for (const auto &[Name, E] : Seen) {
    // A unit whose bodies lock something wins over one whose bodies were
    // incomplete in a way the shape rule did not see.
    if (E.BodySaysNone && !E.BodySaysLock)
      NotLocks.insert(Name);
    if (E.SomeUnitSaysRecursive)
      Recursive.insert(Name);
  }
  // A wrapper is what it wraps, through any number of wrappers.
  for (bool Changed = true; Changed;) {
    Changed = false;
    for (const auto &[Name, E] : Seen)
      for (const std::string &Inner : E.Wraps) {
        if (NotLocks.count(Inner) && NotLocks.insert(Name).second)
          Changed = true;
        if (Recursive.count(Inner) && Recursive.insert(Name).second)
          Changed = true;
      }
  }
}

bool LockTypeVerdicts::isNotLock(const LockRef &L) const { return !L.Type.empty() && NotLocks.count(L.Type); }

void LockTypeVerdicts::apply(FunctionFacts &F) const {
  if (empty())
    return;
  auto Settle = [&](LockRef &L) {
    if (!L.Type.empty() && Recursive.count(L.Type))
      L.Kind = FactMutexKind::Recursive;
  };
  auto SettleHeld = [&](std::vector<HeldFact> &Held) {
    llvm::erase_if(Held, [&](const HeldFact &H) { return isNotLock(H.Lock); });
    for (HeldFact &H : Held)
      Settle(H.Lock);
  };
  auto SettleReleased = [&](std::vector<LockRef> &Released) {
    llvm::erase_if(Released, [&](const LockRef &L) { return isNotLock(L); });
  };
  llvm::erase_if(F.Acquires, [&](const AcquireFact &A) { return isNotLock(A.Lock); });
  for (AcquireFact &A : F.Acquires) {
    Settle(A.Lock);
    SettleHeld(A.Held);
    SettleReleased(A.ReleasedBefore);
  }
  for (CallFact &C : F.Calls) {
    SettleHeld(C.Held);
    SettleReleased(C.ReleasedBefore);
  }
}

} // namespace lockgraph
