//===- BlockingCalls.cpp --------------------------------------------------===//

#include "analysis/BlockingCalls.h"
#include "analysis/IoLocks.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace lockgraph {
namespace {

struct DefaultEntry {
  const char *Name;
  BlockingKind Kind;
  int ReleasedArg;
};

// The default catalogue. Names without "::" are C functions of the global
// namespace; a trailing "::*" stands for every free function of a
// namespace; class names stand for their streams (see classifyStreamCall).
constexpr DefaultEntry Defaults[] = {
    // Sleeping.
    {"sleep", BlockingKind::Sleep, -1},
    {"usleep", BlockingKind::Sleep, -1},
    {"nanosleep", BlockingKind::Sleep, -1},
    {"clock_nanosleep", BlockingKind::Sleep, -1},
    {"pause", BlockingKind::Sleep, -1},
    {"std::this_thread::sleep_for", BlockingKind::Sleep, -1},
    {"std::this_thread::sleep_until", BlockingKind::Sleep, -1},
    // POSIX file descriptors and the file system.
    {"open", BlockingKind::FileIO, -1},
    {"openat", BlockingKind::FileIO, -1},
    {"creat", BlockingKind::FileIO, -1},
    {"read", BlockingKind::FileIO, -1},
    {"write", BlockingKind::FileIO, -1},
    {"pread", BlockingKind::FileIO, -1},
    {"pwrite", BlockingKind::FileIO, -1},
    {"readv", BlockingKind::FileIO, -1},
    {"writev", BlockingKind::FileIO, -1},
    {"preadv", BlockingKind::FileIO, -1},
    {"pwritev", BlockingKind::FileIO, -1},
    {"fsync", BlockingKind::FileIO, -1},
    {"fdatasync", BlockingKind::FileIO, -1},
    {"sync", BlockingKind::FileIO, -1},
    {"syncfs", BlockingKind::FileIO, -1},
    {"sync_file_range", BlockingKind::FileIO, -1},
    {"flock", BlockingKind::FileIO, -1},
    {"std::filesystem::*", BlockingKind::FileIO, -1},
    // stdio.
    {"fopen", BlockingKind::FileIO, -1},
    {"freopen", BlockingKind::FileIO, -1},
    {"fclose", BlockingKind::FileIO, -1},
    {"fread", BlockingKind::FileIO, -1},
    {"fwrite", BlockingKind::FileIO, -1},
    {"fgets", BlockingKind::FileIO, -1},
    {"fgetc", BlockingKind::FileIO, -1},
    {"getc", BlockingKind::FileIO, -1},
    {"fputs", BlockingKind::FileIO, -1},
    {"fputc", BlockingKind::FileIO, -1},
    {"putc", BlockingKind::FileIO, -1},
    {"fprintf", BlockingKind::FileIO, -1},
    {"vfprintf", BlockingKind::FileIO, -1},
    {"dprintf", BlockingKind::FileIO, -1},
    {"fscanf", BlockingKind::FileIO, -1},
    {"vfscanf", BlockingKind::FileIO, -1},
    {"fflush", BlockingKind::FileIO, -1},
    {"getline", BlockingKind::FileIO, -1},
    {"getdelim", BlockingKind::FileIO, -1},
    {"printf", BlockingKind::FileIO, -1},
    {"vprintf", BlockingKind::FileIO, -1},
    {"puts", BlockingKind::FileIO, -1},
    {"putchar", BlockingKind::FileIO, -1},
    {"getchar", BlockingKind::FileIO, -1},
    {"scanf", BlockingKind::FileIO, -1},
    // iostreams: the console streams and the file stream classes.
    {"std::cout", BlockingKind::FileIO, -1},
    {"std::cerr", BlockingKind::FileIO, -1},
    {"std::clog", BlockingKind::FileIO, -1},
    {"std::cin", BlockingKind::FileIO, -1},
    {"std::wcout", BlockingKind::FileIO, -1},
    {"std::wcerr", BlockingKind::FileIO, -1},
    {"std::wclog", BlockingKind::FileIO, -1},
    {"std::wcin", BlockingKind::FileIO, -1},
    {"std::basic_ofstream", BlockingKind::FileIO, -1},
    {"std::basic_ifstream", BlockingKind::FileIO, -1},
    {"std::basic_fstream", BlockingKind::FileIO, -1},
    {"std::basic_filebuf", BlockingKind::FileIO, -1},
    // Sockets.
    {"recv", BlockingKind::SocketIO, -1},
    {"recvfrom", BlockingKind::SocketIO, -1},
    {"recvmsg", BlockingKind::SocketIO, -1},
    {"recvmmsg", BlockingKind::SocketIO, -1},
    {"send", BlockingKind::SocketIO, -1},
    {"sendto", BlockingKind::SocketIO, -1},
    {"sendmsg", BlockingKind::SocketIO, -1},
    {"sendmmsg", BlockingKind::SocketIO, -1},
    {"accept", BlockingKind::SocketIO, -1},
    {"accept4", BlockingKind::SocketIO, -1},
    {"connect", BlockingKind::SocketIO, -1},
    // Readiness waits.
    {"poll", BlockingKind::Poll, -1},
    {"ppoll", BlockingKind::Poll, -1},
    {"select", BlockingKind::Poll, -1},
    {"pselect", BlockingKind::Poll, -1},
    {"epoll_wait", BlockingKind::Poll, -1},
    {"epoll_pwait", BlockingKind::Poll, -1},
    {"epoll_pwait2", BlockingKind::Poll, -1},
    // Threads and asynchronous results.
    {"pthread_join", BlockingKind::ThreadJoin, -1},
    {"std::thread::join", BlockingKind::ThreadJoin, -1},
    {"std::jthread::join", BlockingKind::ThreadJoin, -1},
    {"std::jthread::~jthread", BlockingKind::ThreadJoin, -1},
    {"std::future::get", BlockingKind::FutureWait, -1},
    {"std::future::wait", BlockingKind::FutureWait, -1},
    {"std::future::wait_for", BlockingKind::FutureWait, -1},
    {"std::future::wait_until", BlockingKind::FutureWait, -1},
    {"std::shared_future::get", BlockingKind::FutureWait, -1},
    {"std::shared_future::wait", BlockingKind::FutureWait, -1},
    {"std::shared_future::wait_for", BlockingKind::FutureWait, -1},
    {"std::shared_future::wait_until", BlockingKind::FutureWait, -1},
    // Condition variables: they release the lock they are given.
    {"std::condition_variable::wait", BlockingKind::ConditionWait, 0},
    {"std::condition_variable::wait_for", BlockingKind::ConditionWait, 0},
    {"std::condition_variable::wait_until", BlockingKind::ConditionWait, 0},
    {"std::condition_variable_any::wait", BlockingKind::ConditionWait, 0},
    {"std::condition_variable_any::wait_for", BlockingKind::ConditionWait, 0},
    {"std::condition_variable_any::wait_until", BlockingKind::ConditionWait, 0},
    {"boost::condition_variable::wait", BlockingKind::ConditionWait, 0},
    {"boost::condition_variable::timed_wait", BlockingKind::ConditionWait, 0},
    {"pthread_cond_wait", BlockingKind::ConditionWait, 1},
    {"pthread_cond_timedwait", BlockingKind::ConditionWait, 1},
    {"pthread_cond_clockwait", BlockingKind::ConditionWait, 1},
    // Semaphores, latches, barriers, atomic waits.
    {"sem_wait", BlockingKind::SemaphoreWait, -1},
    {"sem_timedwait", BlockingKind::SemaphoreWait, -1},
    {"sem_clockwait", BlockingKind::SemaphoreWait, -1},
    {"std::counting_semaphore::acquire", BlockingKind::SemaphoreWait, -1},
    {"std::counting_semaphore::try_acquire_for", BlockingKind::SemaphoreWait, -1},
    {"std::counting_semaphore::try_acquire_until", BlockingKind::SemaphoreWait, -1},
    {"std::latch::wait", BlockingKind::SemaphoreWait, -1},
    {"std::latch::arrive_and_wait", BlockingKind::SemaphoreWait, -1},
    {"std::barrier::arrive_and_wait", BlockingKind::SemaphoreWait, -1},
    {"std::barrier::wait", BlockingKind::SemaphoreWait, -1},
    {"std::atomic::wait", BlockingKind::SemaphoreWait, -1},
    {"std::atomic_flag::wait", BlockingKind::SemaphoreWait, -1},
    // Other processes.
    {"system", BlockingKind::Process, -1},
    {"popen", BlockingKind::Process, -1},
    {"pclose", BlockingKind::Process, -1},
    {"wait", BlockingKind::Process, -1},
    {"waitpid", BlockingKind::Process, -1},
    {"waitid", BlockingKind::Process, -1},
    // Name lookups go to the network.
    {"getaddrinfo", BlockingKind::NameLookup, -1},
    {"getnameinfo", BlockingKind::NameLookup, -1},
    {"gethostbyname", BlockingKind::NameLookup, -1},
    {"gethostbyname2", BlockingKind::NameLookup, -1},
    {"gethostbyname_r", BlockingKind::NameLookup, -1},
    {"gethostbyaddr", BlockingKind::NameLookup, -1},
    {"res_query", BlockingKind::NameLookup, -1},
    {"res_search", BlockingKind::NameLookup, -1},
};

// Free functions of std::filesystem that only compute on paths.
constexpr llvm::StringLiteral PureFilesystemFunctions[] = {"hash_value", "swap", "u8path", "begin", "end"};

/// A type as its user spells it: "std::ofstream", not "std::basic_ofstream<char>".
std::string userTypeName(QualType T) {
  T = T.getNonReferenceType().getUnqualifiedType();
  if (const auto *TT = T->getAs<TypedefType>())
    return TT->getDecl()->getQualifiedNameAsString();
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    return LockModel::qualifiedRecordName(RD);
  return T.getAsString();
}

/// A C library function: global namespace, and either `extern "C"` or
/// declared in a system header, so a user's own `read` is not mistaken.
bool isCLibraryFunction(const FunctionDecl *FD) {
  if (!FD->getIdentifier() || isa<CXXMethodDecl>(FD))
    return false;
  if (!FD->getDeclContext()->getRedeclContext()->isTranslationUnit())
    return false;
  const SourceManager &SM = FD->getASTContext().getSourceManager();
  return FD->isExternC() || SM.isInSystemHeader(FD->getCanonicalDecl()->getLocation());
}

/// `fut.wait_for(0s)` polls: it never blocks.
bool isZeroDuration(const Expr *E) {
  struct Finder : RecursiveASTVisitor<Finder> {
    unsigned Literals = 0;
    bool NonZero = false;
    bool VisitIntegerLiteral(IntegerLiteral *L) {
      ++Literals;
      NonZero |= L->getValue() != 0;
      return true;
    }
    bool VisitFloatingLiteral(FloatingLiteral *L) {
      ++Literals;
      NonZero |= !L->getValue().isZero();
      return true;
    }
    bool VisitDeclRefExpr(DeclRefExpr *D) {
      if (const auto *VD = dyn_cast<VarDecl>(D->getDecl()); VD && !VD->isConstexpr())
        NonZero = true;
      return true;
    }
  } F;
  F.TraverseStmt(const_cast<Expr *>(E));
  return F.Literals > 0 && !F.NonZero;
}

} // namespace

std::vector<std::string> BlockingCatalogue::defaultNames() {
  std::vector<std::string> Names;
  for (const DefaultEntry &D : Defaults)
    Names.push_back(D.Name);
  return Names;
}

BlockingCatalogue::BlockingCatalogue(BlockingCatalogueOptions Options) {
  auto Ignored = [&](llvm::StringRef Name) { return llvm::is_contained(Options.Ignored, Name); };
  if (Options.Defaults)
    for (const DefaultEntry &D : Defaults)
      if (!Ignored(D.Name))
        Entries.push_back({D.Name, D.Kind, D.ReleasedArg});
  for (const std::string &Name : Options.Extra)
    if (!Ignored(Name) && !lookup(Name))
      Entries.push_back({Name, BlockingKind::Configured, -1});
}

const BlockingCatalogue::Entry *BlockingCatalogue::lookup(llvm::StringRef Name) const {
  for (const Entry &E : Entries)
    if (E.Name == Name)
      return &E;
  return nullptr;
}

std::optional<BlockingCall> BlockingCatalogue::classify(const CFGElement &Element, ASTContext &Ctx) const {
  if (auto S = Element.getAs<CFGStmt>()) {
    if (const auto *Call = dyn_cast<CallExpr>(S->getStmt()))
      return classifyCall(Call, Ctx);
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S->getStmt()))
      return classifyConstruction(CE);
    return std::nullopt;
  }
  if (auto Ctor = Element.getAs<CFGConstructor>())
    return classifyConstruction(cast<CXXConstructExpr>(Ctor->getStmt()));
  if (auto Dtor = Element.getAs<CFGAutomaticObjDtor>()) {
    const CXXRecordDecl *RD = Dtor->getVarDecl()->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!RD || Dtor->getVarDecl()->getType()->isReferenceType())
      return std::nullopt;
    std::string Name = LockModel::qualifiedRecordName(RD) + "::~" + RD->getName().str();
    if (const Entry *E = lookup(Name))
      return BlockingCall{E->Kind, Name};
  }
  return std::nullopt;
}

std::optional<BlockingCall> BlockingCatalogue::classifyCall(const CallExpr *Call, ASTContext &Ctx) const {
  if (std::optional<BlockingCall> Stream = classifyStreamCall(Call))
    return Stream;
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD || !FD->getIdentifier())
    return std::nullopt;

  const Entry *Found = nullptr;
  std::string Name;
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD)) {
    // Match the object's own class first (std::future::wait is declared in
    // a base class of std::future), then the class declaring the method.
    llvm::SmallVector<const CXXRecordDecl *, 2> Classes;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      if (const Expr *Object = MC->getImplicitObjectArgument())
        if (const CXXRecordDecl *RD = LockModel::pointeeOrSelf(Object->getType())->getAsCXXRecordDecl())
          Classes.push_back(RD);
    Classes.push_back(Method->getParent());
    for (const CXXRecordDecl *RD : Classes) {
      Name = LockModel::qualifiedRecordName(RD) + "::" + Method->getName().str();
      if ((Found = lookup(Name)))
        break;
    }
  } else if (isCLibraryFunction(FD) && (Found = lookup(FD->getName()))) {
    Name = FD->getName().str();
  } else {
    Name = LockModel::qualifiedName(FD);
    Found = lookup(Name);
    if (!Found && !FD->isOverloadedOperator()) {
      llvm::StringRef Namespace = llvm::StringRef(Name).rsplit("::").first;
      if (Namespace != Name && !llvm::is_contained(PureFilesystemFunctions, FD->getName()))
        Found = lookup((Namespace + "::*").str());
    }
  }
  if (!Found)
    return std::nullopt;

  BlockingCall Result{Found->Kind, Name};
  llvm::StringRef Leaf = FD->getName();
  if ((Leaf.ends_with("_for") || Leaf.ends_with("_until")) && Call->getNumArgs() > 0 &&
      Found->Kind != BlockingKind::Sleep && isZeroDuration(Call->getArg(Call->getNumArgs() > 1 ? 1 : 0)))
    return std::nullopt;
  if (Found->ReleasedArg >= 0) {
    unsigned Index = Found->ReleasedArg;
    if (Index >= Call->getNumArgs())
      return std::nullopt;
    Result.ReleasedLock = Call->getArg(Index);
  }
  return Result;
}

bool BlockingCatalogue::isIoStreamObject(const Expr *Stream, std::string &Spelling) const {
  Stream = Stream->IgnoreParenImpCasts();
  if (const auto *DRE = dyn_cast<DeclRefExpr>(Stream))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()); VD && VD->hasGlobalStorage()) {
      std::string Name = VD->getQualifiedNameAsString();
      if (lookup(Name)) {
        Spelling = Name;
        return true;
      }
    }
  // Calls (a chained `<<`) are covered where the chain starts.
  if (isa<CallExpr>(Stream))
    return false;
  QualType T = LockModel::pointeeOrSelf(Stream->getType());
  if (const CXXRecordDecl *RD = T->getAsCXXRecordDecl())
    if (lookup(LockModel::qualifiedRecordName(RD))) {
      Spelling = userTypeName(T);
      return true;
    }
  return false;
}

std::optional<BlockingCall> BlockingCatalogue::classifyStreamCall(const CallExpr *Call) const {
  std::string Stream;
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    OverloadedOperatorKind K = Op->getOperator();
    if ((K != OO_LessLess && K != OO_GreaterGreater) || Op->getNumArgs() != 2)
      return std::nullopt;
    if (!isIoStreamObject(Op->getArg(0), Stream))
      return std::nullopt;
    return BlockingCall{BlockingKind::FileIO, Stream + (K == OO_LessLess ? " <<" : " >>")};
  }
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    if (!M || !M->getIdentifier() || !Object || isa<CXXConversionDecl>(M))
      return std::nullopt;
    static constexpr llvm::StringLiteral IoMethods[] = {"read",  "write", "get",  "getline", "put",
                                                        "flush", "open",  "close", "ignore", "readsome"};
    if (!llvm::is_contained(IoMethods, M->getName()) || !isIoStreamObject(Object, Stream))
      return std::nullopt;
    return BlockingCall{BlockingKind::FileIO, Stream + "::" + M->getName().str()};
  }
  // std::getline(stream, line)
  const FunctionDecl *FD = Call->getDirectCallee();
  if (FD && FD->getIdentifier() && FD->getName() == "getline" && FD->isInStdNamespace() && Call->getNumArgs() >= 2 &&
      isIoStreamObject(Call->getArg(0), Stream))
    return BlockingCall{BlockingKind::FileIO, "std::getline"};
  return std::nullopt;
}

std::optional<BlockingCall> BlockingCatalogue::classifyConstruction(const CXXConstructExpr *CE) const {
  // A file stream constructed with a file name opens the file.
  const CXXConstructorDecl *Ctor = CE->getConstructor();
  if (!Ctor || Ctor->isCopyOrMoveConstructor() || CE->getNumArgs() == 0)
    return std::nullopt;
  const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
  if (!RD)
    return std::nullopt;
  std::string Name = LockModel::qualifiedRecordName(RD);
  if (Name.find("fstream") == std::string::npos)
    return std::nullopt;
  if (const Entry *E = lookup(Name))
    return BlockingCall{E->Kind, userTypeName(CE->getType())};
  return std::nullopt;
}

std::optional<DirectSite> BlockingClassifier::classify(const CFGElement &Element, const Lockset &Before) {
  std::optional<BlockingCall> Call = Catalogue.classify(Element, Ctx);
  if (!Call)
    return std::nullopt;
  DirectSite Site;
  Site.What = Call->Name;
  Site.Kind = static_cast<unsigned>(Call->Kind);
  if (Call->Kind == BlockingKind::FileIO || Call->Kind == BlockingKind::SocketIO)
    if (auto S = Element.getAs<CFGStmt>())
      Site.Object = ioStreamOf(dyn_cast<CallExpr>(S->getStmt()), Ctx);
  if (!Call->ReleasedLock)
    return Site;
  const Expr *Lock = Call->ReleasedLock;
  std::optional<LockExpr> Named = LockExpr::fromExpr(Lock, Ctx);
  if (!Named) {
    Site.ReleasesUnknown = true;
  } else if (Model.classifyMutex(LockModel::pointeeOrSelf(Lock->getType()))) {
    Site.Releases.push_back(*Named);
  } else if (Model.classifyGuard(LockModel::pointeeOrSelf(Lock->getType()))) {
    if (const GuardBinding *B = Before.binding(*Named))
      Site.Releases.append(B->Mutexes.begin(), B->Mutexes.end());
    else
      Site.Releases.push_back(*Named);
  } else {
    // condition_variable_any over a lockable the model does not know.
    Site.ReleasesUnknown = true;
  }
  return Site;
}

} // namespace lockgraph
