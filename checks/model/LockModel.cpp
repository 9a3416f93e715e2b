//===- LockModel.cpp ------------------------------------------------------===//

#include "model/LockModel.h"
#include "model/LockClassDiscovery.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclTemplate.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "llvm/ADT/StringSwitch.h"

using namespace clang;

namespace lockgraph {
namespace {

struct KnownMutex {
  const char *Name;
  MutexKind Kind;
};

// Synchronous mutexes of the standard library, POSIX and common libraries.
// Classes carrying the `capability` attribute (absl::Mutex, annotated
// project mutexes) are recognised by the attribute instead.
constexpr KnownMutex KnownMutexes[] = {
    {"std::mutex", MutexKind::Plain},
    {"std::timed_mutex", MutexKind::Plain},
    {"std::recursive_mutex", MutexKind::Recursive},
    {"std::recursive_timed_mutex", MutexKind::Recursive},
    {"std::shared_mutex", MutexKind::Shared},
    {"std::shared_timed_mutex", MutexKind::Shared},
    {"pthread_mutex_t", MutexKind::Plain},
    {"pthread_rwlock_t", MutexKind::Shared},
    {"pthread_spinlock_t", MutexKind::Spin},
    {"boost::mutex", MutexKind::Plain},
    {"boost::timed_mutex", MutexKind::Plain},
    {"boost::recursive_mutex", MutexKind::Recursive},
    {"boost::shared_mutex", MutexKind::Shared},
    {"absl::Mutex", MutexKind::Shared},
    {"folly::SharedMutex", MutexKind::Shared},
    {"QMutex", MutexKind::Plain},
    {"QRecursiveMutex", MutexKind::Recursive},
    {"QReadWriteLock", MutexKind::Shared},
};

struct KnownGuard {
  const char *Name;
  GuardTypeInfo Info;
};

constexpr KnownGuard KnownGuards[] = {
    {"std::lock_guard", {GuardKind::Scoped, LockMode::Exclusive}},
    {"std::scoped_lock", {GuardKind::Scoped, LockMode::Exclusive, true}},
    {"std::unique_lock", {GuardKind::Movable, LockMode::Exclusive}},
    {"std::shared_lock", {GuardKind::Movable, LockMode::Shared}},
    {"boost::lock_guard", {GuardKind::Scoped, LockMode::Exclusive}},
    {"boost::unique_lock", {GuardKind::Movable, LockMode::Exclusive}},
    {"boost::shared_lock", {GuardKind::Movable, LockMode::Shared}},
    {"absl::MutexLock", {GuardKind::Scoped, LockMode::Exclusive}},
    {"absl::WriterMutexLock", {GuardKind::Scoped, LockMode::Exclusive}},
    {"absl::ReaderMutexLock", {GuardKind::Scoped, LockMode::Shared}},
    {"QMutexLocker", {GuardKind::Movable, LockMode::Exclusive}},
};

// Does the body of \p FD call a member named in \p Names on an object whose
// type is a mutex? Used to recognise hand-written RAII lockers.
class MutexCallFinder : public RecursiveASTVisitor<MutexCallFinder> {
public:
  MutexCallFinder(const LockModel &Model, std::initializer_list<llvm::StringRef> Names)
      : Model(Model), Names(Names) {}

  bool VisitCXXMemberCallExpr(CXXMemberCallExpr *Call) {
    const CXXMethodDecl *Method = Call->getMethodDecl();
    if (!Method || !Method->getIdentifier())
      return true;
    if (!llvm::is_contained(Names, Method->getName()))
      return true;
    if (Model.classifyMutex(Method->getParent()->getTypeForDecl()->getCanonicalTypeInternal()))
      Found = true;
    return !Found;
  }

  bool VisitCallExpr(CallExpr *Call) {
    // pthread_mutex_lock(&m_) and friends inside a locker class.
    if (const FunctionDecl *FD = Call->getDirectCallee())
      if (FD->getIdentifier() && FD->getName().starts_with("pthread_") &&
          llvm::is_contained(Names, FD->getName().rsplit('_').second))
        Found = true;
    return !Found;
  }

  bool Found = false;

private:
  const LockModel &Model;
  std::initializer_list<llvm::StringRef> Names;
};

bool bodyCalls(const LockModel &Model, const FunctionDecl *FD,
               std::initializer_list<llvm::StringRef> Names) {
  if (!FD)
    return false;
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def->getBody())
    return false;
  MutexCallFinder Finder(Model, Names);
  Finder.TraverseStmt(Def->getBody());
  return Finder.Found;
}

} // namespace

std::vector<std::string> LockModelOptions::defaultAsyncMutexes() {
  return {"cppcoro::async_mutex",
          "folly::coro::Mutex",
          "folly::coro::SharedMutex",
          "folly::coro::SharedMutexFair",
          "coro::mutex",
          "coro::shared_mutex",
          "concurrencpp::async_lock",
          "seastar::semaphore",
          "boost::asio::experimental::basic_channel",
          "async_simple::coro::Mutex",
          "async_simple::coro::SharedMutex",
          "asyncpp::mutex",
          "libcoro::mutex"};
}

std::vector<std::string> LockModelOptions::defaultAsyncGuards() {
  return {"cppcoro::async_mutex_lock",
          "folly::coro::SharedLock",
          "coro::scoped_lock",
          "concurrencpp::scoped_async_lock",
          "seastar::semaphore_units",
          "async_simple::coro::ScopedLockGuard",
          "asyncpp::mutex::lock_guard"};
}

static const CXXRecordDecl *recordOf(QualType T);

struct LockModel::Memo {
  const ASTContext *Ctx = nullptr;
  llvm::DenseMap<const CXXRecordDecl *, std::optional<MutexKind>> Mutexes;
  llvm::DenseMap<const CXXRecordDecl *, DiscoveredLock> Discovered;
  /// Guard answers, asked at every statement that names an object; only
  /// those given while no mutex class is being decided (which would read
  /// that class's provisional "not a mutex") are final.
  llvm::DenseMap<const CXXRecordDecl *, std::optional<GuardTypeInfo>> Guards;
  unsigned MutexesDeciding = 0;
};

LockModel::LockModel(LockModelOptions Opts) : Options(std::move(Opts)), Cache(std::make_unique<Memo>()) {}
LockModel::LockModel(const LockModel &O) : Options(O.Options), Cache(std::make_unique<Memo>()) {}
LockModel::~LockModel() = default;

bool LockModel::sameOptions(const LockModel &Other) const {
  const LockModelOptions &A = Options, &B = Other.Options;
  return A.ExtraMutexes == B.ExtraMutexes && A.ExtraGuards == B.ExtraGuards && A.AsyncMutexes == B.AsyncMutexes &&
         A.AsyncGuards == B.AsyncGuards;
}

void LockModel::beginTranslationUnit() const {
  Cache->Mutexes.clear();
  Cache->Discovered.clear();
  Cache->Guards.clear();
  Cache->MutexesDeciding = 0;
  Cache->Ctx = nullptr;
}

LockModel::Memo &LockModel::memo(const CXXRecordDecl *RD) const {
  if (Cache->Ctx != &RD->getASTContext()) {
    beginTranslationUnit();
    Cache->Ctx = &RD->getASTContext();
  }
  return *Cache;
}

const DiscoveredLock *LockModel::discovered(const CXXRecordDecl *RD) const {
  if (!RD || !classifyMutexRecord(RD))
    return nullptr;
  const Memo &M = memo(RD);
  auto It = M.Discovered.find(RD);
  return It == M.Discovered.end() ? nullptr : &It->second;
}

std::vector<std::pair<const CXXRecordDecl *, const DiscoveredLock *>> LockModel::discoveredSoFar() const {
  std::vector<std::pair<const CXXRecordDecl *, const DiscoveredLock *>> Out;
  for (const auto &[RD, D] : Cache->Discovered)
    Out.push_back({RD, &D});
  return Out;
}

const CXXRecordDecl *LockModel::discoveredTypeOf(const ValueDecl *Member) const {
  if (!Member)
    return nullptr;
  const CXXRecordDecl *RD = recordOf(pointeeOrSelf(Member->getType()));
  return RD && discovered(RD) ? RD : nullptr;
}

MutexOp LockModel::operationOf(const CXXMethodDecl *Method) const {
  if (!Method)
    return MutexOp::None;
  if (MutexOp Op = mutexOpByAttributes(Method); Op != MutexOp::None)
    return Op;
  // A discovered class's members do what their bodies do, whatever their
  // names.
  const CXXRecordDecl *RD = Method->getParent();
  const DiscoveredLock *D = discovered(RD->getDefinition() ? RD->getDefinition() : RD);
  if (D) {
    auto It = D->Operations.find(Method);
    if (It == D->Operations.end())
      It = D->Operations.find(Method->getCanonicalDecl());
    if (It != D->Operations.end())
      return It->second;
  }
  if (!Method->getIdentifier())
    return MutexOp::None;
  MutexOp Op = mutexOpByName(Method->getName());
  // By name alone, `Lock(timeout)` of a discovered class is a wait that
  // may time out (an event, a semaphore), not an acquisition.
  if (D && (Op == MutexOp::Lock || Op == MutexOp::LockShared) && Method->getMinRequiredArguments() > 0)
    return MutexOp::None;
  return Op;
}

std::vector<std::string> splitNameList(llvm::StringRef List) {
  std::string Normalized = List.str();
  std::replace(Normalized.begin(), Normalized.end(), ',', ';');
  llvm::SmallVector<llvm::StringRef, 8> Parts;
  llvm::StringRef(Normalized).split(Parts, ';', -1, false);
  std::vector<std::string> Names;
  for (llvm::StringRef Part : Parts) {
    Part = Part.trim();
    if (Part.consume_front("::"))
      Part = Part.trim();
    if (!Part.empty())
      Names.push_back(Part.str());
  }
  return Names;
}

std::string LockModel::qualifiedRecordName(const CXXRecordDecl *RD) {
  if (!RD)
    return {};
  if (!RD->getIdentifier())
    if (const TypedefNameDecl *TD = RD->getTypedefNameForAnonDecl())
      return TD->getQualifiedNameAsString();
  return qualifiedName(RD);
}

std::string LockModel::qualifiedName(const NamedDecl *ND) {
  PrintingPolicy Policy(ND->getASTContext().getLangOpts());
  Policy.SuppressInlineNamespace = true;
  Policy.SuppressUnwrittenScope = true;
  std::string Name;
  llvm::raw_string_ostream OS(Name);
  ND->printQualifiedName(OS, Policy);
  return OS.str();
}

QualType LockModel::pointeeOrSelf(QualType T) {
  if (T.isNull())
    return T;
  T = T.getNonReferenceType();
  if (const auto *PT = T->getAs<PointerType>())
    return PT->getPointeeType();
  // unique_ptr<Mutex>, shared_ptr<Mutex>: look at the first template argument.
  if (const auto *RD = T->getAsCXXRecordDecl())
    if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
      std::string Name = qualifiedRecordName(RD);
      if ((Name == "std::unique_ptr" || Name == "std::shared_ptr") &&
          Spec->getTemplateArgs().size() > 0 &&
          Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        return Spec->getTemplateArgs()[0].getAsType();
    }
  return T;
}

QualType LockModel::wrappedReference(QualType T) {
  const auto *Spec = T.isNull() ? nullptr
                                : llvm::dyn_cast_or_null<ClassTemplateSpecializationDecl>(
                                      T.getNonReferenceType()->getAsCXXRecordDecl());
  if (!Spec || qualifiedRecordName(Spec) != "std::reference_wrapper" || Spec->getTemplateArgs().size() != 1 ||
      Spec->getTemplateArgs()[0].getKind() != TemplateArgument::Type)
    return QualType();
  return Spec->getTemplateArgs()[0].getAsType();
}

bool LockModel::nameIn(llvm::StringRef Name, const std::vector<std::string> &List) const {
  return llvm::any_of(List, [&](const std::string &N) { return N == Name; });
}

static const CXXRecordDecl *recordOf(QualType T) {
  if (T.isNull())
    return nullptr;
  const CXXRecordDecl *RD = T.getCanonicalType()->getAsCXXRecordDecl();
  if (!RD)
    return nullptr;
  if (const CXXRecordDecl *Def = RD->getDefinition())
    return Def;
  return RD;
}

std::optional<MutexKind> LockModel::classifyMutex(QualType T) const {
  if (T.isNull() || T->isReferenceType() || T->isPointerType())
    return std::nullopt;
  if (std::optional<MutexKind> Kind = classifyMutexRecord(recordOf(T)))
    return Kind;
  // Some lock types are typedefs of plain integers (pthread_spinlock_t):
  // only their alias names say what they are.
  while (const auto *TT = T->getAs<TypedefType>()) {
    std::string Name = TT->getDecl()->getQualifiedNameAsString();
    for (const KnownMutex &M : KnownMutexes)
      if (Name == M.Name)
        return M.Kind;
    if (nameIn(Name, Options.ExtraMutexes))
      return MutexKind::Plain;
    T = TT->desugar();
  }
  return std::nullopt;
}

std::optional<MutexKind> LockModel::classifyMutexRecord(const CXXRecordDecl *RD) const {
  if (!RD)
    return std::nullopt;
  Memo &M = memo(RD);
  if (auto It = M.Mutexes.find(RD); It != M.Mutexes.end())
    return It->second;
  // Asked again while deciding (a class whose members mention it): not yet
  // a mutex.
  M.Mutexes[RD] = std::nullopt;
  ++M.MutexesDeciding;
  std::optional<MutexKind> Kind = classifyMutexRecordUncached(RD);
  --M.MutexesDeciding;
  M.Mutexes[RD] = Kind;
  return Kind;
}

std::optional<MutexKind> LockModel::classifyMutexRecordUncached(const CXXRecordDecl *RD) const {
  std::string Name = qualifiedRecordName(RD);
  if (nameIn(Name, Options.AsyncMutexes))
    return std::nullopt;
  for (const KnownMutex &M : KnownMutexes)
    if (Name == M.Name)
      return M.Kind;
  // lockgraph's own instrumented mutexes wrap a standard one: they are
  // whatever they wrap.
  if (Name == "lockgraph::detail::instrumented")
    if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD))
      if (Spec->getTemplateArgs().size() > 0 && Spec->getTemplateArgs()[0].getKind() == TemplateArgument::Type)
        return classifyMutex(Spec->getTemplateArgs()[0].getAsType());
  if (nameIn(Name, Options.ExtraMutexes))
    return MutexKind::Plain;
  if (const auto *Cap = RD->getAttr<CapabilityAttr>()) {
    // A capability named "role" or similar is not a lock; the analysis only
    // cares about mutual exclusion.
    llvm::StringRef CapName = Cap->getName();
    if (constructorMakesRecursive(RD))
      return MutexKind::Recursive;
    if (CapName.equals_insensitive("mutex") || CapName.equals_insensitive("lock") ||
        CapName.equals_insensitive("shared_mutex") || CapName.empty())
      return Cap->isShared() ? MutexKind::Shared : MutexKind::Plain;
    return MutexKind::Plain;
  }
  // A project's own mutex class, unless it is a guard (a locker has lock()
  // and unlock() too, on a mutex it does not own).
  if (std::optional<DiscoveredLock> D = discoverLockClass(RD, *this))
    if (!classifyGuardRecord(RD)) {
      MutexKind Kind = D->Kind;
      memo(RD).Discovered[RD] = std::move(*D);
      return Kind;
    }
  return std::nullopt;
}

std::optional<GuardTypeInfo> LockModel::classifyGuard(QualType T) const {
  if (T.isNull() || T->isReferenceType() || T->isPointerType())
    return std::nullopt;
  return classifyGuardRecord(recordOf(T));
}

std::optional<GuardTypeInfo> LockModel::classifyGuardRecord(const CXXRecordDecl *RD) const {
  if (!RD)
    return std::nullopt;
  Memo &M = memo(RD);
  if (auto It = M.Guards.find(RD); It != M.Guards.end())
    return It->second;
  bool Final = M.MutexesDeciding == 0;
  std::optional<GuardTypeInfo> Info = classifyGuardRecordUncached(RD);
  if (Final)
    M.Guards[RD] = Info;
  return Info;
}

std::optional<GuardTypeInfo> LockModel::classifyGuardRecordUncached(const CXXRecordDecl *RD) const {
  std::string Name = qualifiedRecordName(RD);
  if (nameIn(Name, Options.AsyncGuards))
    return std::nullopt;
  if (const auto *Spec = llvm::dyn_cast<ClassTemplateSpecializationDecl>(RD)) {
    // A standard guard over an async mutex is still an async guard.
    for (const TemplateArgument &Arg : Spec->getTemplateArgs().asArray())
      if (Arg.getKind() == TemplateArgument::Type && isAsyncLockType(Arg.getAsType()))
        return std::nullopt;
  }
  for (const KnownGuard &G : KnownGuards)
    if (Name == G.Name)
      return G.Info;
  if (nameIn(Name, Options.ExtraGuards))
    return GuardTypeInfo{GuardKind::Movable, LockMode::Exclusive};
  if (RD->hasAttr<ScopedLockableAttr>()) {
    LockMode Mode = LockMode::Exclusive;
    for (const CXXConstructorDecl *Ctor : RD->ctors())
      if (const auto *Acq = Ctor->getAttr<AcquireCapabilityAttr>())
        if (Acq->isShared())
          Mode = LockMode::Shared;
    // Annotated lockers with an unlock member behave like unique_lock.
    bool HasUnlock = llvm::any_of(RD->methods(), [](const CXXMethodDecl *M) {
      return M->hasAttr<ReleaseCapabilityAttr>() && !llvm::isa<CXXDestructorDecl>(M);
    });
    return GuardTypeInfo{HasUnlock ? GuardKind::Movable : GuardKind::Scoped, Mode};
  }
  return classifyRaiiHeuristically(RD);
}

// A class is a guard when one of its constructors takes a mutex by reference
// or pointer and locks it, and its destructor unlocks it; a scoped unlock
// when the constructor unlocks it and the destructor locks it again.
std::optional<GuardTypeInfo> LockModel::classifyRaiiHeuristically(const CXXRecordDecl *RD) const {
  if (!RD->hasDefinition() || RD->isLambda())
    return std::nullopt;
  const CXXDestructorDecl *Dtor = RD->getDestructor();
  if (!Dtor)
    return std::nullopt;
  auto TakesMutex = [&](const CXXConstructorDecl *Ctor) {
    return llvm::any_of(Ctor->parameters(), [&](const ParmVarDecl *P) {
      QualType T = P->getType();
      return (T->isReferenceType() || T->isPointerType()) && classifyMutex(pointeeOrSelf(T));
    });
  };
  const std::initializer_list<llvm::StringRef> Unlocks = {"unlock", "unlock_shared", "Unlock"};
  const std::initializer_list<llvm::StringRef> Locks = {"lock", "Lock", "wrlock"};
  if (!bodyCalls(*this, Dtor, Unlocks)) {
    if (!bodyCalls(*this, Dtor, Locks))
      return std::nullopt;
    for (const CXXConstructorDecl *Ctor : RD->ctors())
      if (TakesMutex(Ctor) && bodyCalls(*this, Ctor, Unlocks) && !bodyCalls(*this, Ctor, Locks))
        return GuardTypeInfo{GuardKind::Reverse, LockMode::Exclusive};
    return std::nullopt;
  }
  for (const CXXConstructorDecl *Ctor : RD->ctors()) {
    if (!TakesMutex(Ctor))
      continue;
    if (bodyCalls(*this, Ctor, Locks))
      return GuardTypeInfo{GuardKind::Scoped, LockMode::Exclusive};
    if (bodyCalls(*this, Ctor, {"lock_shared", "rdlock"}))
      return GuardTypeInfo{GuardKind::Scoped, LockMode::Shared};
  }
  return std::nullopt;
}

bool LockModel::isAsyncLockType(QualType T) const {
  const CXXRecordDecl *RD = recordOf(pointeeOrSelf(T));
  if (!RD)
    return false;
  std::string Name = qualifiedRecordName(RD);
  return nameIn(Name, Options.AsyncMutexes) || nameIn(Name, Options.AsyncGuards);
}

} // namespace lockgraph
