//===- CallbackCalls.h - Calls into code the caller does not control -------===//
//
// The sites of lockgraph-callback-under-lock: calling a type-erased
// callable (std::function and its relatives), a function pointer, a
// virtual function on another object, or a callable that a template
// received from its caller. What runs is decided elsewhere, so it may
// block or take locks in any order (C++ Core Guidelines CP.22).
//
// A call to a known non-virtual function, a lambda defined in the caller,
// a virtual call on `this`, or a virtual function of the standard library
// (std::exception::what) is not a callback.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_CALLBACKCALLS_H
#define LOCKGRAPH_ANALYSIS_CALLBACKCALLS_H

#include "analysis/CallSiteSummaries.h"
#include "analysis/KnownOverrides.h"

#include <string>
#include <vector>

namespace lockgraph {

enum class CallbackKind {
  TypeErased,      ///< std::function and friends
  FunctionPointer, ///< a pointer to function or to member function
  Virtual,         ///< a virtual function on another object
  TemplateCallable,///< a callable whose type is a template parameter
};

/// "std::function 'cb'", "function pointer 'fp'", ...
std::string describeCallback(CallbackKind Kind, llvm::StringRef What);

struct CallbackOptions {
  /// Class templates whose operator() runs a type-erased callable.
  std::vector<std::string> CallbackTypes = defaultCallbackTypes();
  bool VirtualCalls = true;
  static std::vector<std::string> defaultCallbackTypes();
};

class CallbackClassifier : public SiteClassifier {
public:
  CallbackClassifier(CallbackOptions Options, clang::ASTContext &Ctx)
      : Options(std::move(Options)), Ctx(Ctx), Overrides(Ctx) {}
  std::optional<DirectSite> classify(const clang::CFGElement &Element, const Lockset &Before) override;
  /// A call in the body of an assertion or test macro, with what it calls.
  bool ignores(const clang::CFGElement &Element) const override;

private:
  std::optional<DirectSite> classifyCall(const clang::CallExpr *Call) const;
  std::optional<DirectSite> classifyCallable(const clang::Expr *Callee) const;
  std::string textOf(const clang::Expr *E) const;

  CallbackOptions Options;
  clang::ASTContext &Ctx;
  /// Filled on first use, from a const classification.
  mutable KnownOverrides Overrides;
};

/// Whether \p Held guards the object \p Object a virtual call runs on:
/// a member that the mutex's owner holds alone (through a
/// `std::unique_ptr`, so no one else has it), next to the mutex. Such a
/// member is state the lock guards — a sink's formatter, which is not
/// thread-safe — and calling it under the lock is using that state, not
/// calling out: it cannot move after the unlock. A member reached through
/// a raw or shared pointer (an `Env *`, listeners) may be anyone's.
bool guardsOwnedMember(const HeldLock &Held, const LockExpr &Object);

/// Whether \p Loc is in the body of an assertion macro (`assert`, a name
/// containing `ASSERT` such as `INTERNAL_ASSERT`, `DCHECK*`, `VERIFY*`,
/// or a test framework's `EXPECT_*`, `REQUIRE*`, `CHECK*`, `TEST*`): the
/// reporting a failed assertion runs is not the critical section's work.
/// Code the user passed as the macro's argument (`ASSERT(cb())`) is not in
/// its body: it runs every time.
bool inAssertionMacro(clang::SourceLocation Loc, const clang::SourceManager &SM, const clang::LangOptions &LangOpts);

} // namespace lockgraph

#endif
