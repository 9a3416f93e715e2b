//===- UnreleasedLockCheck.cpp --------------------------------------------===//

#include "UnreleasedLockCheck.h"
#include "LockModelOptionsIO.h"
#include "LockNotes.h"
#include "analysis/ManualLockPaths.h"

#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"

using namespace clang;

namespace lockgraph {
namespace {

/// "TryLockShared" -> try, lock, shared; "lock_if_needed" -> lock, if, needed.
std::vector<std::string> wordsOf(llvm::StringRef Name) {
  std::vector<std::string> Words;
  std::string Cur;
  for (size_t I = 0; I < Name.size(); ++I) {
    char C = Name[I];
    bool Boundary = C == '_' || (std::isupper(static_cast<unsigned char>(C)) && !Cur.empty() &&
                                 !std::isupper(static_cast<unsigned char>(Cur.back())));
    if (Boundary && !Cur.empty()) {
      Words.push_back(Cur);
      Cur.clear();
    }
    if (C != '_')
      Cur.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(C))));
  }
  if (!Cur.empty())
    Words.push_back(Cur);
  return Words;
}

/// Functions whose contract is to return with a lock held on some paths:
/// lock wrappers, try-lock helpers, annotated acquire functions, and
/// constructors that hand the lock to the object they build.
bool followsLockingProtocol(const FunctionDecl *FD, llvm::ArrayRef<std::string> Words) {
  if (isa<CXXConstructorDecl>(FD) || isa<CXXDestructorDecl>(FD))
    return true;
  if (FD->hasAttr<AcquireCapabilityAttr>() || FD->hasAttr<TryAcquireCapabilityAttr>() ||
      FD->hasAttr<ReleaseCapabilityAttr>())
    return true;
  if (!FD->getIdentifier())
    return false;
  for (const std::string &W : wordsOf(FD->getName()))
    if (llvm::is_contained(Words, W))
      return true;
  return false;
}

std::string defaultWords() { return "lock;locked;trylock;relock;acquire;acquires;enter"; }

} // namespace

UnreleasedLockCheck::UnreleasedLockCheck(StringRef Name, tidy::ClangTidyContext *Context)
    : CriticalSectionCheck(Name, Context), LockingFunctionWords(splitNameList(Options.get("LockingFunctionWords", defaultWords()))) {}

void UnreleasedLockCheck::storeOptions(tidy::ClangTidyOptions::OptionMap &Opts) {
  CriticalSectionCheck::storeOptions(Opts);
  Options.store(Opts, "LockingFunctionWords", Options.get("LockingFunctionWords", defaultWords()));
}

bool UnreleasedLockCheck::skipFunction(const FunctionDecl &FD) const {
  return followsLockingProtocol(&FD, LockingFunctionWords);
}

void UnreleasedLockCheck::checkFunction(const FunctionDecl &FD, UnitLockAnalyses &Unit) {
  ManualLockPaths Paths(Unit.Events, Unit.Locks);
  std::string Function = functionName(&FD);
  for (const LeakingPath &P : Paths.leaks(&FD)) {
    const std::string &Lock = P.Lock.spelling();
    if (P.Jump) {
      const char *Keyword = isa<BreakStmt>(P.Jump) ? "break" : isa<ContinueStmt>(P.Jump) ? "continue" : "goto";
      diag(P.Jump->getBeginLoc(),
           "'%0' leaves lock '%1' held on a path out of '%2' that never releases it; hold it with a guard "
           "such as std::lock_guard or std::unique_lock")
          << Keyword << Lock << Function;
    } else {
      diag(P.ExitAt,
           "lock '%0' is still held when '%1' %select{returns|throws|ends}2 here, but released on other "
           "paths; hold it with a guard such as std::lock_guard or std::unique_lock")
          << Lock << Function << static_cast<unsigned>(P.How);
    }
    if (P.AcquiredAt.isValid())
      diag(P.AcquiredAt, "'%0' locked here", DiagnosticIDs::Note) << Lock;
    if (P.ReleasedAt.isValid())
      diag(P.ReleasedAt, "'%0' released here on another path", DiagnosticIDs::Note) << Lock;
  }
}

} // namespace lockgraph
