//===- LockOrderFacts.h - What one translation unit knows about lock order -===//
//
// The facts a translation unit contributes to the whole-program lock-order
// graph: for every function defined in it, which locks it acquires and
// which functions it calls, each with the locks held at that moment. Facts
// are plain data with no Clang types, so they can be written to a file by
// one process and linked by another (docs/whole-program.md). The linker
// (LockOrderLinker.h) turns them into edges, cycles and double locks.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_LOCKORDERFACTS_H
#define LOCKGRAPH_ANALYSIS_LOCKORDERFACTS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// A point in the source. `Raw` is the clang::SourceLocation encoding in the
/// translation unit that produced the fact; it lets a clang-tidy check
/// report facts of its own TU, and is 0 in facts read back from a file.
struct FactLoc {
  std::string File;
  unsigned Line = 0;
  unsigned Column = 0;
  uint32_t Raw = 0;
  bool valid() const { return !File.empty() && Line != 0; }
};

enum class FactMutexKind { Plain, Recursive, Shared, Spin };

/// How a lock is reached from the function that names it; decides how a
/// call site translates the callee's lock into the caller's terms.
enum class FactRoot {
  Global, ///< a namespace-scope or static variable, or what a global
          ///< accessor (`Registry::Instance()`) returns: the same everywhere
  This,   ///< through the object the function runs on
  Param,  ///< through parameter `Param`
  Local,  ///< a local variable of the function
  Other,  ///< anything else; its class is meaningful, its instance is not
};

/// One lock as a function sees it.
struct LockRef {
  /// Identity across the program: "Account::mu", "g_lock".
  std::string Class;
  /// Identity within the function: equal keys are the same object.
  std::string Key;
  /// The member path after the root (".mu", ".inner.mu"), for translation.
  std::string Suffix;
  /// As written in the source, for messages.
  std::string Spelling;
  FactRoot Root = FactRoot::Other;
  unsigned Param = 0;
  FactMutexKind Kind = FactMutexKind::Plain;
  /// A lock of an object no other thread can see yet (one this function
  /// just created, or the object its constructor is building): taking it
  /// cannot wait, so it orders nothing (docs/lock-model.md).
  bool Fresh = false;
  /// The lock's type when it is a discovered project mutex class
  /// ("port::Mutex"), so that what another unit learnt about that class
  /// (its constructor makes it recursive) applies here too; else empty.
  std::string Type;
};

/// A lock held at an acquisition or a call.
struct HeldFact {
  LockRef Lock;
  FactLoc AcquiredAt;
  bool Shared = false;
  /// Held on every path; otherwise only on some.
  bool Definitely = true;
  /// The key of the guard that owns it (`std::unique_lock lk`), if any: a
  /// callee that unlocks that guard releases this lock.
  std::string Guard;
};

struct AcquireFact {
  LockRef Lock;
  FactLoc Site;
  bool Shared = false;
  /// A try_lock (or timed lock) that may fail: it cannot block, so it adds
  /// no edge and cannot self-deadlock.
  bool Try = false;
  std::vector<HeldFact> Held;
  /// Locks the function released before this point without having taken
  /// them (its caller's): a callee that unlocks the caller's mutex and
  /// locks it again is not a double lock.
  std::vector<LockRef> ReleasedBefore;
  /// Taken only when these parameters have these values (`if (need_lock)
  /// mu.Lock();`): a call passing the opposite constant does not take it.
  std::vector<std::pair<unsigned, bool>> When;
};

struct CallFact {
  /// Program-wide identity of the callee (see FactsExtractor).
  std::string Callee;
  std::string CalleeName;
  /// A virtual call: every override in the program may run.
  bool Virtual = false;
  FactLoc Site;
  /// The object the callee runs on and the arguments, as locks or paths in
  /// the caller; empty when not expressible.
  std::optional<LockRef> Receiver;
  std::vector<std::optional<LockRef>> Args;
  std::vector<HeldFact> Held;
  std::vector<LockRef> ReleasedBefore;
  /// Constant boolean arguments (`Apply(false)`), per parameter; empty
  /// when there are none.
  std::vector<std::optional<bool>> BoolArgs;
  /// Made by an assertion macro (`ASSERT(...)`): runs only to report a
  /// failed assertion, so what it blocks on is not followed.
  bool InAssertion = false;
};

/// A call the function makes that blocks the thread (a sleep, I/O, a join,
/// a wait: lockgraph-blocking-under-lock's catalogue), so that a caller in
/// another unit holding a lock across a call to it can be told.
struct BlockFact {
  /// The blocking callee as users know it ("recv", "std::this_thread::sleep_for").
  std::string What;
  /// Its kind, as blockingKindName() spells it ("socket-io").
  std::string Kind;
  FactLoc Site;
  /// Locks of the function's caller (in the function's terms) that are not
  /// held while it blocks: unlocked before it, or released by the wait.
  std::vector<LockRef> ReleasedBefore;
};

struct FunctionFacts {
  std::string Id;
  std::string Name;
  FactLoc Where;
  /// Ids of the virtual methods this one overrides directly.
  std::vector<std::string> Overrides;
  /// For a virtual method: whether its body does nothing a lock holder
  /// must fear (isHarmlessImplementation in KnownOverrides.h), so a call
  /// dispatched to it is no callback. Empty for other functions.
  std::optional<bool> Harmless;
  std::vector<AcquireFact> Acquires;
  std::vector<CallFact> Calls;
  std::vector<BlockFact> Blocks;
  /// For a constructor: the pointer and reference members it sets to one
  /// of its parameters (`db_mutex_(db_mutex)`), as ("Class::member",
  /// parameter index). With what every construction passes, the link
  /// learns where such a member points (FieldAliases.h).
  std::vector<std::pair<std::string, unsigned>> FieldParams;
};

/// Calls \p OnRef on every lock and path \p F names and \p OnHeld on each
/// held-lock entry (whose lock OnRef is not given), in one fixed order:
/// acquisitions (lock, held, released), then calls (receiver, arguments,
/// held, released), then blocking calls (released).
template <class RefFn, class HeldFn> void forEachLockRef(FunctionFacts &F, RefFn OnRef, HeldFn OnHeld) {
  for (AcquireFact &A : F.Acquires) {
    OnRef(A.Lock);
    for (HeldFact &H : A.Held)
      OnHeld(H);
    for (LockRef &R : A.ReleasedBefore)
      OnRef(R);
  }
  for (CallFact &C : F.Calls) {
    if (C.Receiver)
      OnRef(*C.Receiver);
    for (std::optional<LockRef> &Arg : C.Args)
      if (Arg)
        OnRef(*Arg);
    for (HeldFact &H : C.Held)
      OnHeld(H);
    for (LockRef &R : C.ReleasedBefore)
      OnRef(R);
  }
  for (BlockFact &B : F.Blocks)
    for (LockRef &R : B.ReleasedBefore)
      OnRef(R);
}

/// What a unit found a project class to be: a mutex (discovered), or —
/// when the class has a lock/unlock pair its bodies here show to be no
/// lock — not one. The whole-program link lets the verdict of the bodies
/// overrule the shape rule other units applied (LockTypeVerdicts.h).
struct LockTypeFact {
  std::string Name;
  FactMutexKind Kind = FactMutexKind::Plain;
  /// Why: "body", "shape" or "base" (LockClassDiscovery.h).
  std::string How;
  /// False for a class whose bodies say it is no mutex ("kind": "none").
  bool IsLock = true;
  /// The discovered class it wraps (the member its bodies lock, or the base
  /// it derives from), when it has one: a wrapper is what it wraps.
  std::string Wraps;
};

/// A function whose address (or a lambda) is stored into a data member
/// that holds callables (`deleter_ = &DeleteEntry;`, `on_done_ = [..]{..};`).
struct StoredCallableFact {
  /// The member, "Class::field".
  std::string Field;
  /// The stored function's id.
  std::string Function;
};

/// A value stored into a data member that points to a lock (a pointer or
/// reference to a mutex): `info->merge_lock = &merge_lock_;`,
/// `mu_ptr_(&other.mu_)`, `Mutex *p_ = &mu_;`. With every other store into
/// the member in the program, the link learns where it points
/// (FieldAliases.h). A constructor's member set straight from one of its
/// parameters is the constructor's `FieldParams`, not a store.
struct LockPointerStoreFact {
  /// The member, "Class::field".
  std::string Field;
  /// The class of the lock stored; empty when the value is no lock the
  /// unit can name (a parameter, a call's result, another pointer).
  std::string Class;
  /// The stored lock's member path from the object that holds the member
  /// (".mu_" for `this->p_ = &this->mu_`) when it is in that object; else
  /// empty.
  std::string Path;
  /// The value is the member's own value in another object (`p_(o.p_)`,
  /// a defaulted copy): the same lock class, but no longer in its holder.
  bool Copy = false;
};

/// The callee id of a call through a callable data member: every function
/// stored into that member anywhere in the program may run.
inline std::string storedCallableCallee(const std::string &Field) { return "field:" + Field; }

/// A lockgraph-callback-under-lock finding of the unit on a virtual call
/// (made directly, or at the end of the chain of calls it reports): which
/// method the call dispatches to. The unit saw only its own overrides; the
/// link, seeing every unit's, drops the finding when every implementation
/// in the program is harmless (CallbackDispatch.h).
struct VirtualCallbackFact {
  /// The finding, as the unit reported it: where (the file location a
  /// diagnostic shows) and its message.
  FactLoc Site;
  std::string Message;
  /// The id of the method the call names, and whether it is pure (when it
  /// is not, its own body is one of the implementations).
  std::string Method;
  bool MethodIsPure = false;
  /// The method's class is abstract: its objects are of derived classes,
  /// so when the program overrides the method nowhere, they are classes
  /// from outside the program (an observer interface whose hooks have
  /// empty default bodies).
  bool InAbstractClass = false;
  /// The method's own body is empty (`virtual void OnConnectionOpened(...)
  /// {}`): a hook that exists to be overridden. When the program overrides
  /// it nowhere, the overrides are outside it (extensions, plugins).
  bool MethodIsEmptyHook = false;
  /// Overrides the unit sees declared but not defined (`final` classes
  /// whose bodies are compiled elsewhere): each must have a verdict from
  /// some unit of the program, or the call runs code nobody has seen.
  std::vector<std::string> Undefined;
};

/// Everything one translation unit contributes.
struct TUFacts {
  std::string MainFile;
  std::vector<FunctionFacts> Functions;
  std::vector<StoredCallableFact> StoredCallables;
  std::vector<LockPointerStoreFact> LockPointerStores;
  /// Discovered mutex classes used or declared in the unit, by name.
  std::vector<LockTypeFact> LockTypes;
  /// The unit's callback findings on virtual calls, with their methods.
  std::vector<VirtualCallbackFact> VirtualCallbacks;
};

/// The version of the facts file format this build reads and writes.
constexpr int FactsFormatVersion = 3;

} // namespace lockgraph

#endif
