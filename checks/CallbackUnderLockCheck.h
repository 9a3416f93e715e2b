//===- CallbackUnderLockCheck.h - lockgraph-callback-under-lock ------------===//
//
// Flags calls into code the lock holder does not control — std::function
// and other type-erased callables, function pointers, virtual functions on
// other objects, callables received as template arguments — made while a
// lock is held, directly or through functions of the same translation
// unit. The callee may block, re-enter, or take other locks in an order
// nobody can see from here (C++ Core Guidelines CP.22).
//
// Docs: docs/checks/lockgraph-callback-under-lock.md
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CALLBACKUNDERLOCKCHECK_H
#define LOCKGRAPH_CALLBACKUNDERLOCKCHECK_H

#include "CriticalSectionContext.h"
#include "analysis/BlockingCalls.h"
#include "analysis/KnownOverrides.h"
#include "analysis/CallbackCalls.h"

#include "clang-tidy/ClangTidyCheck.h"

namespace lockgraph {

class CallbackUnderLockCheck : public HeldCallCheck {
public:
  CallbackUnderLockCheck(llvm::StringRef Name, clang::tidy::ClangTidyContext *Context);
  void storeOptions(clang::tidy::ClangTidyOptions::OptionMap &Opts) override;

private:
  std::unique_ptr<SiteClassifier> makeClassifier(UnitLockAnalyses &Unit) override;
  void report(const SiteHit &Hit, llvm::ArrayRef<const HeldLock *> Held) override;
  /// Under a whole-program driver: records which method the virtual call
  /// the finding \p Message is about dispatches to, for the link to decide
  /// with every file's overrides (docs/whole-program.md).
  void recordDispatch(const SiteHit &Hit, const std::string &Message);

  CallbackOptions Callbacks;
  /// The unit being analysed (set as its first function is).
  UnitLockAnalyses *Unit = nullptr;
  /// The unit's override index, built on the first virtual finding.
  std::unique_ptr<KnownOverrides> Overrides;
};

} // namespace lockgraph

#endif
