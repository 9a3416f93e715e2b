//===- CallbackCalls.cpp --------------------------------------------------===//

#include "analysis/CallbackCalls.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace lockgraph {

std::vector<std::string> CallbackOptions::defaultCallbackTypes() {
  return {"std::function",      "std::move_only_function", "std::copyable_function", "std::function_ref",
          "std::packaged_task", "boost::function",         "absl::FunctionRef",      "absl::AnyInvocable",
          "folly::Function",    "folly::FunctionRef",      "llvm::function_ref",     "llvm::unique_function"};
}

std::string describeCallback(CallbackKind Kind, llvm::StringRef What) {
  switch (Kind) {
  case CallbackKind::TypeErased: return ("callback '" + What + "'").str();
  case CallbackKind::FunctionPointer: return ("function pointer '" + What + "'").str();
  case CallbackKind::Virtual: return ("virtual function '" + What + "' on another object").str();
  case CallbackKind::TemplateCallable: return ("caller-supplied callable '" + What + "'").str();
  }
  return What.str();
}

namespace {

/// An object (not a pointer or reference) whose dynamic type is its static
/// type, so the call is not dispatched: a variable, a temporary, a data
/// member held by value — however the object holding it is reached
/// (`stats->hist_`): a member is never a base-class part of something
/// larger — and an element of an array (`p->hists_[i]`), not of memory a
/// pointer points to.
bool isCompleteObject(const Expr *E) {
  E = E->IgnoreParenImpCasts();
  if (E->getType()->isPointerType())
    return false;
  if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
    if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
      return !VD->getType()->isReferenceType();
  if (const auto *ME = dyn_cast<MemberExpr>(E))
    if (const auto *FD = dyn_cast<FieldDecl>(ME->getMemberDecl()))
      return !FD->getType()->isReferenceType();
  if (const auto *Element = dyn_cast<ArraySubscriptExpr>(E))
    return Element->getBase()->IgnoreParenImpCasts()->getType()->isArrayType();
  return isa<MaterializeTemporaryExpr>(E) || isa<CXXTemporaryObjectExpr>(E);
}

bool isTemplateParameterType(QualType T) {
  return !T.isNull() && T.getNonReferenceType()->getAs<SubstTemplateTypeParmType>() != nullptr;
}

} // namespace

std::string CallbackClassifier::textOf(const Expr *E) const {
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  std::string Text =
      Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts()).str();
  if (Text.empty() || Text.size() > 60)
    return "callback";
  std::string Out;
  for (char C : Text)
    if (!std::isspace(static_cast<unsigned char>(C)) || (!Out.empty() && Out.back() != ' '))
      Out.push_back(std::isspace(static_cast<unsigned char>(C)) ? ' ' : C);
  return Out;
}

bool guardsOwnedMember(const HeldLock &Held, const LockExpr &Object) {
  std::string Owner = Held.Lock.ownerKey();
  if (Owner.empty() || Object.ownerKey() != Owner)
    return false;
  const auto *Field = llvm::dyn_cast_or_null<FieldDecl>(Object.lastMember());
  if (!Field)
    return false;
  const CXXRecordDecl *RD = Field->getType()->getAsCXXRecordDecl();
  return RD && LockModel::qualifiedRecordName(RD) == "std::unique_ptr";
}

namespace {

/// Whether the token at \p Loc comes from a macro's body rather than from
/// an argument its user wrote (followed through nested macros).
bool writtenInMacroBody(SourceLocation Loc, const SourceManager &SM) {
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 32; ++Depth) {
    if (!SM.isMacroArgExpansion(Loc))
      return true;
    Loc = SM.getImmediateSpellingLoc(Loc);
  }
  return false;
}

constexpr llvm::StringRef TestFrameworkMacros[] = {"EXPECT_", "ASSERT_", "GTEST_", "REQUIRE", "CHECK", "INTERNAL_CATCH",
                                                   "DOCTEST_", "TEST", "BOOST_CHECK", "BOOST_REQUIRE", "BOOST_TEST"};

bool startsWithAny(llvm::StringRef Name, llvm::ArrayRef<llvm::StringRef> Prefixes) {
  return llvm::any_of(Prefixes, [&](llvm::StringRef P) { return Name.starts_with(P); });
}

bool isAssertionMacroName(llvm::StringRef Macro) {
  return Macro == "assert" || Macro.contains("ASSERT") || startsWithAny(Macro, {"DCHECK", "VERIFY"}) ||
         startsWithAny(Macro, TestFrameworkMacros);
}

} // namespace

bool inAssertionMacro(SourceLocation Loc, const SourceManager &SM, const LangOptions &LangOpts) {
  if (!writtenInMacroBody(Loc, SM))
    return false;
  for (unsigned Depth = 0; Loc.isMacroID() && Depth < 32; ++Depth) {
    if (isAssertionMacroName(Lexer::getImmediateMacroName(Loc, SM, LangOpts)))
      return true;
    Loc = SM.getImmediateMacroCallerLoc(Loc);
  }
  return false;
}

bool CallbackClassifier::ignores(const CFGElement &Element) const {
  auto S = Element.getAs<CFGStmt>();
  const auto *Call = S ? dyn_cast<CallExpr>(S->getStmt()) : nullptr;
  return Call && inAssertionMacro(Call->getBeginLoc(), Ctx.getSourceManager(), Ctx.getLangOpts());
}

std::optional<DirectSite> CallbackClassifier::classify(const CFGElement &Element, const Lockset &) {
  auto S = Element.getAs<CFGStmt>();
  if (!S)
    return std::nullopt;
  const auto *Call = dyn_cast<CallExpr>(S->getStmt());
  if (!Call)
    return std::nullopt;
  return classifyCall(Call);
}

std::optional<DirectSite> CallbackClassifier::classifyCallable(const Expr *Callee) const {
  const Expr *Stripped = Callee->IgnoreParenImpCasts();
  QualType T = Stripped->getType();
  DirectSite Site;
  Site.What = textOf(Stripped);
  // Which callable runs: a caller binding it to a lambda of its own knows.
  Site.Callable = LockExpr::fromExpr(Stripped, Ctx);
  if (const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl())
    if (llvm::is_contained(Options.CallbackTypes, LockModel::qualifiedRecordName(RD))) {
      Site.Kind = static_cast<unsigned>(CallbackKind::TypeErased);
      return Site;
    }
  QualType Pointee = T.getNonReferenceType();
  if (const auto *PT = Pointee->getAs<PointerType>())
    Pointee = PT->getPointeeType();
  // A function named directly is a direct call; anything else that has
  // function type (a variable, a member, a returned pointer) is a pointer.
  const auto *DRE = dyn_cast<DeclRefExpr>(Stripped);
  if (Pointee->isFunctionType() && (!DRE || isa<VarDecl>(DRE->getDecl()))) {
    Site.Kind = static_cast<unsigned>(CallbackKind::FunctionPointer);
    return Site;
  }
  // `f()` where f's type is the template's parameter: the caller decides.
  if (DRE && isa<VarDecl>(DRE->getDecl()) &&
      (isTemplateParameterType(T) || isTemplateParameterType(cast<VarDecl>(DRE->getDecl())->getType()))) {
    Site.Kind = static_cast<unsigned>(CallbackKind::TemplateCallable);
    return Site;
  }
  return std::nullopt;
}

std::optional<DirectSite> CallbackClassifier::classifyCall(const CallExpr *Call) const {
  // cb(args): operator() of a type-erased callable or of a template callable.
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
    if (Op->getOperator() != OO_Call || Op->getNumArgs() == 0)
      return std::nullopt;
    return classifyCallable(Op->getArg(0));
  }
  // obj->method(): virtual dispatch to another object.
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call)) {
    if (const auto *BO = dyn_cast<BinaryOperator>(MC->getCallee()->IgnoreParens()); BO && BO->isPtrMemOp()) {
      DirectSite Site;
      Site.What = textOf(BO->getRHS());
      Site.Kind = static_cast<unsigned>(CallbackKind::FunctionPointer);
      return Site;
    }
    const CXXMethodDecl *M = MC->getMethodDecl();
    const Expr *Object = MC->getImplicitObjectArgument();
    if (!Options.VirtualCalls || !M || !Object || staticCallee(Call) || isThisObject(Object) ||
        isCompleteObject(Object))
      return std::nullopt;
    // The standard library's own virtual interfaces (what(), streambuf
    // overrides) are not user callbacks.
    if (Ctx.getSourceManager().isInSystemHeader(M->getCanonicalDecl()->getLocation()))
      return std::nullopt;
    // Every override is known and does nothing to fear (a getter, a cast).
    if (Overrides.allHarmless(M))
      return std::nullopt;
    DirectSite Site;
    Site.What = M->getQualifiedNameAsString();
    Site.Kind = static_cast<unsigned>(CallbackKind::Virtual);
    Site.Object = LockExpr::fromExpr(Object, Ctx);
    Site.Dispatches = M;
    return Site;
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD) {
    // fp(args): a call through a pointer (or reference) to function.
    if (const Expr *Callee = Call->getCallee())
      return classifyCallable(Callee);
    return std::nullopt;
  }
  // std::invoke(cb, args...), std::apply(cb, tuple): the callable is the
  // first argument.
  if (FD->isInStdNamespace() && FD->getIdentifier() &&
      (FD->getName() == "invoke" || FD->getName() == "invoke_r" || FD->getName() == "apply") &&
      Call->getNumArgs() > 0)
    return classifyCallable(Call->getArg(0));
  return std::nullopt;
}

} // namespace lockgraph
