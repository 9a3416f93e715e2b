//===- LoopCost.cpp -------------------------------------------------------===//

#include "analysis/LoopCost.h"
#include "analysis/CallbackCalls.h"
#include "analysis/CallSiteSummaries.h"
#include "analysis/CriticalSectionCost.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/SourceManager.h"

using namespace clang;

namespace lockgraph {

namespace {

constexpr unsigned MaxCallDepth = 3;

bool isLoop(const Stmt *S) { return isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(S); }

bool leavesTheLoop(const Stmt *S) {
  if (isa<CXXThrowExpr>(S))
    return true;
  const auto *Call = dyn_cast<CallExpr>(S);
  const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
  return FD && FD->isNoReturn();
}

/// The name a costly-function list uses: `std::sort`, `Class::method`.
std::string listName(const FunctionDecl *FD) {
  if (const auto *Method = dyn_cast<CXXMethodDecl>(FD); Method && Method->getIdentifier())
    return LockModel::qualifiedRecordName(Method->getParent()) + "::" + Method->getName().str();
  if (!FD->getIdentifier())
    return {};
  return FD->getDeclContext()->getRedeclContext()->isTranslationUnit() ? FD->getName().str()
                                                                        : LockModel::qualifiedName(FD);
}

} // namespace

/// Walks the statements of one loop (or one callee body), stopping at the
/// first costly thing.
class IterationScanner : public RecursiveASTVisitor<IterationScanner> {
public:
  IterationScanner(LoopCost &Cost, unsigned Depth, bool LoopsAreCostly, const Stmt *Outer)
      : Cost(Cost), Depth(Depth), LoopsAreCostly(LoopsAreCostly), Outer(Outer) {}

  bool TraverseLambdaExpr(LambdaExpr *) { return true; } // runs elsewhere, if at all
  bool TraverseStmt(Stmt *S) {
    if (Found || !S)
      return !Found;
    // A throw, or a call that never returns (a bounds check's
    // `[[noreturn]] ThrowIndexOutOfBounds`), runs at most once and leaves
    // the loop: it is no iteration's work, and neither is building its
    // arguments.
    if (leavesTheLoop(S))
      return true;
    if (S != Outer && isLoop(S) && !Cost.isSmallLoop(S)) {
      Found = LoopsAreCostly ? "runs a loop" : "runs a nested loop";
      return false;
    }
    return RecursiveASTVisitor::TraverseStmt(S);
  }
  bool VisitCallExpr(CallExpr *Call) {
    // A failed assertion's reporting is not an iteration's work.
    const SourceManager &SM = Cost.Ctx.getSourceManager();
    if (inAssertionMacro(Call->getBeginLoc(), SM, Cost.Ctx.getLangOpts()))
      return true;
    if (std::optional<std::string> Why = Cost.costlyCall(Call, Depth))
      Found = std::move(Why);
    return !Found;
  }
  std::optional<std::string> Found;

private:
  LoopCost &Cost;
  unsigned Depth;
  bool LoopsAreCostly;
  const Stmt *Outer;
};

LoopCost::LoopCost(ASTContext &Ctx, const LockModel &Model, std::vector<std::string> CostlyFunctions,
                   unsigned SmallTripCount)
    : Ctx(Ctx), Model(Model), CostlyFunctions(std::move(CostlyFunctions)), SmallTripCount(SmallTripCount) {}

const std::vector<std::string> &LoopCost::linearSearches() {
  static const std::vector<std::string> Names = {"std::find",          "std::find_if",   "std::find_if_not",
                                                 "std::find_first_of", "std::search",    "std::search_n",
                                                 "std::count",         "std::count_if",  "std::remove",
                                                 "std::remove_if",     "std::min_element", "std::max_element"};
  return Names;
}

bool LoopCost::isSmallLoop(const Stmt *Loop) const {
  std::optional<uint64_t> Trips = CriticalSectionCost::constantTripCount(Loop, Ctx);
  return Trips && *Trips <= SmallTripCount;
}

std::optional<std::string> LoopCost::scan(const Stmt *S, unsigned Depth, bool LoopsAreCostly) {
  IterationScanner Scanner(*this, Depth, LoopsAreCostly, LoopsAreCostly ? nullptr : S);
  Scanner.TraverseStmt(const_cast<Stmt *>(S));
  return Scanner.Found;
}

std::optional<std::string> LoopCost::costlyWorkIn(const Stmt *Loop) { return scan(Loop, 0, false); }

bool LoopCost::queriesAMutex(const CallExpr *Call) const {
  const auto *MC = dyn_cast<CXXMemberCallExpr>(Call);
  const Expr *Object = MC ? MC->getImplicitObjectArgument() : nullptr;
  const CXXMethodDecl *Method = MC ? MC->getMethodDecl() : nullptr;
  if (!Object || !Method || Model.operationOf(Method) != MutexOp::None)
    return false; // taking or releasing a lock is the lockset analysis's business
  // Only a const member whose code is not visible: a visible body is looked
  // into as any other, and a class taken for a mutex by its shape may do
  // real work in its other members (a thread class with Lock()/Unlock()).
  const FunctionDecl *Def = nullptr;
  if (!Method->isConst() || Method->hasBody(Def))
    return false;
  return Model.classifyMutex(LockModel::pointeeOrSelf(Object->getType())).has_value();
}

std::optional<std::string> LoopCost::costlyCall(const CallExpr *Call, unsigned Depth) {
  if (std::optional<BlockingCall> B = Blocking.classify(CFGStmt(Call), Ctx)) {
    // A condition wait gives the lock up: the loop around it is a wait
    // loop, which the caller already tells apart.
    if (B->Kind != BlockingKind::ConditionWait)
      return "calls '" + B->Name + "', which " + describeBlocking(B->Kind).str();
  }
  const FunctionDecl *FD = Call->getDirectCallee();
  if (!FD) {
    if (const Expr *Callee = Call->getCallee(); Callee && Callee->getType()->isDependentType())
      return std::nullopt;
    return std::string("calls through a function pointer");
  }
  std::string Name = listName(FD);
  if (!Name.empty() && (llvm::is_contained(CostlyFunctions, Name) || llvm::is_contained(linearSearches(), Name)))
    return "calls '" + Name + "'";
  const SourceManager &SM = Ctx.getSourceManager();
  bool System = SM.isInSystemHeader(SM.getExpansionLoc(FD->getLocation()));
  if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call); Op && Op->getOperator() == OO_Call && System) {
    // operator() of a library type: a type-erased callable runs unknown code.
    const CXXRecordDecl *RD = Op->getArg(0)->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (RD && !RD->isLambda())
      return "calls the callable '" + LockModel::qualifiedRecordName(RD) + "'";
  }
  if (System || FD->getBuiltinID() || queriesAMutex(Call))
    return std::nullopt;
  if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
    if (const Expr *Object = MC->getImplicitObjectArgument(); Object && !staticCallee(Call) && !isThisObject(Object))
      return "calls virtual function '" + FD->getQualifiedNameAsString() + "' on another object";
  const FunctionDecl *Def = nullptr;
  if (!FD->hasBody(Def) || !Def)
    return "calls '" + FD->getQualifiedNameAsString() + "', whose code is not visible here";
  if (Depth >= MaxCallDepth)
    return std::nullopt;
  if (std::optional<std::string> Inner = costlyFunction(Def, Depth + 1))
    return "calls '" + FD->getQualifiedNameAsString() + "', which " + *Inner;
  return std::nullopt;
}

std::optional<std::string> LoopCost::costlyFunction(const FunctionDecl *FD, unsigned Depth) {
  if (auto It = Memo.find(FD); It != Memo.end())
    return It->second;
  Memo[FD] = std::nullopt; // recursion: assume cheap while looking
  std::optional<std::string> Why = scan(FD->getBody(), Depth, true);
  Memo[FD] = Why;
  return Why;
}

} // namespace lockgraph
