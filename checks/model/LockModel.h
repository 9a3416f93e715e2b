//===- LockModel.h - Which types are mutexes and which are lock guards ----===//
//
// The single place that decides what a lock is. Every check and the
// whole-program graph ask this model, so a type recognised here is
// recognised everywhere. Classification looks through type aliases and
// deduced template arguments: it always inspects the canonical record.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_LOCKMODEL_H
#define LOCKGRAPH_MODEL_LOCKMODEL_H

#include "model/MutexOps.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/Type.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringRef.h"
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace lockgraph {

/// What a mutex type allows; decides whether re-locking or shared locking
/// is meaningful for it.
enum class MutexKind {
  Plain,     ///< std::mutex, pthread_mutex_t: re-locking deadlocks.
  Recursive, ///< std::recursive_mutex: the owner may re-lock.
  Shared,    ///< std::shared_mutex, pthread_rwlock_t: exclusive or shared.
  Spin,      ///< pthread_spinlock_t: re-locking spins forever.
};

enum class LockMode { Exclusive, Shared };

/// How a guard type manages its mutex over its lifetime.
enum class GuardKind {
  /// Locks in the constructor and unlocks in the destructor, nothing in
  /// between (lock_guard, scoped_lock, scoped_lockable classes).
  Scoped,
  /// Owns a lock that may be taken, released, handed over or deferred
  /// (unique_lock, shared_lock).
  Movable,
  /// A scoped unlock: unlocks a held mutex in the constructor and locks it
  /// again in the destructor (RocksDB's InstrumentedMutexUnlock, Chromium's
  /// AutoUnlock); between the two the mutex is free.
  Reverse,
};

struct GuardTypeInfo {
  GuardKind Kind;
  LockMode Mode;
  /// The guard may manage several mutexes at once (scoped_lock).
  bool ManyMutexes = false;
};

/// Names of types that the model treats specially, as written in a
/// `.clang-tidy` file. Each list is a set of fully qualified names.
struct LockModelOptions {
  std::vector<std::string> ExtraMutexes;
  std::vector<std::string> ExtraGuards;
  /// Mutexes whose lock operation suspends a coroutine instead of blocking
  /// a thread; they are never reported as held across a suspension.
  std::vector<std::string> AsyncMutexes;
  /// Guards of async mutexes; holding one across co_await is the point.
  std::vector<std::string> AsyncGuards;

  static std::vector<std::string> defaultAsyncMutexes();
  static std::vector<std::string> defaultAsyncGuards();
};

struct DiscoveredLock;

class LockModel {
public:
  explicit LockModel(LockModelOptions Options = {});
  ~LockModel();
  LockModel(const LockModel &);
  LockModel &operator=(const LockModel &) = delete;

  /// The kind of mutex a value of type \p T is, or nothing when \p T is not
  /// a synchronous mutex. References and pointers are not looked through.
  std::optional<MutexKind> classifyMutex(clang::QualType T) const;

  /// The guard behaviour of type \p T, or nothing when it is not a guard of
  /// a synchronous mutex.
  std::optional<GuardTypeInfo> classifyGuard(clang::QualType T) const;

  /// Forgets what was learnt about the previous translation unit's
  /// classes; called when a new one starts (its declarations may reuse
  /// the old ones' addresses).
  void beginTranslationUnit() const;

  /// What calling \p Method on a mutex does: by thread-safety attribute,
  /// then by name, then, for a discovered mutex class, by what its body
  /// does (LockClassDiscovery.h).
  MutexOp operationOf(const clang::CXXMethodDecl *Method) const;

  /// How \p RD was found to be a mutex when it is a project class that no
  /// name, option or attribute declares one; null otherwise.
  const DiscoveredLock *discovered(const clang::CXXRecordDecl *RD) const;

  /// Every class of the current translation unit found to be a mutex so
  /// far, in no particular order.
  std::vector<std::pair<const clang::CXXRecordDecl *, const DiscoveredLock *>> discoveredSoFar() const;

  /// The discovered mutex class a lock expression's object has, if any:
  /// the type of \p Member (or of what it points to).
  const clang::CXXRecordDecl *discoveredTypeOf(const clang::ValueDecl *Member) const;

  /// Whether \p Other was made from the same options (and so gives the
  /// same answers).
  bool sameOptions(const LockModel &Other) const;

  /// True for a mutex or guard type of an async (coroutine) mutex.
  bool isAsyncLockType(clang::QualType T) const;

  /// \p T with references and one level of pointer (raw or smart) removed,
  /// for asking "is what this expression refers to a mutex".
  static clang::QualType pointeeOrSelf(clang::QualType T);

  /// `T` of a `std::reference_wrapper<T>` (references removed), else null:
  /// the wrapper names the object it refers to, like a pointer.
  static clang::QualType wrappedReference(clang::QualType T);

  /// Fully qualified name of a record, inline namespaces omitted
  /// ("std::mutex", never "std::__1::mutex"); anonymous records are named by
  /// their typedef ("pthread_mutex_t").
  static std::string qualifiedRecordName(const clang::CXXRecordDecl *RD);

  /// Fully qualified name of any declaration, inline namespaces omitted.
  static std::string qualifiedName(const clang::NamedDecl *ND);

private:
  std::optional<MutexKind> classifyMutexRecord(const clang::CXXRecordDecl *RD) const;
  std::optional<MutexKind> classifyMutexRecordUncached(const clang::CXXRecordDecl *RD) const;
  std::optional<GuardTypeInfo> classifyGuardRecord(const clang::CXXRecordDecl *RD) const;
  std::optional<GuardTypeInfo> classifyGuardRecordUncached(const clang::CXXRecordDecl *RD) const;
  std::optional<GuardTypeInfo> classifyRaiiHeuristically(const clang::CXXRecordDecl *RD) const;
  bool nameIn(llvm::StringRef Name, const std::vector<std::string> &List) const;

  LockModelOptions Options;

  // Classification is asked at every call and argument; the answers of one
  // translation unit are remembered (the model is used by one thread, for
  // one AST at a time: a new AST clears them).
  struct Memo;
  std::unique_ptr<Memo> Cache;
  Memo &memo(const clang::CXXRecordDecl *RD) const;
};

/// Splits a `;`- or `,`-separated option string into trimmed names.
std::vector<std::string> splitNameList(llvm::StringRef List);

} // namespace lockgraph

#endif
