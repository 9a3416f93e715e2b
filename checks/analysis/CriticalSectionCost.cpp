//===- CriticalSectionCost.cpp --------------------------------------------===//

#include "analysis/CriticalSectionCost.h"
#include "analysis/LoopCost.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/StmtCXX.h"
#include <map>
#include <set>

using namespace clang;

namespace lockgraph {

std::vector<std::string> CostOptions::defaultCostlyFunctions() {
  return {"std::sort",          "std::stable_sort",   "std::partial_sort", "std::partial_sort_copy",
          "std::sort_heap",     "std::list::sort",    "std::forward_list::sort", "qsort",
          "std::basic_regex",   "std::regex_match",   "std::regex_search", "std::regex_replace",
          "std::format",        "std::vformat",       "std::format_to",    "std::vformat_to"};
}

namespace {

constexpr llvm::StringLiteral HeavyContainers[] = {
    "std::vector",        "std::deque",         "std::list",          "std::forward_list",
    "std::map",           "std::multimap",      "std::set",           "std::multiset",
    "std::unordered_map", "std::unordered_multimap", "std::unordered_set", "std::unordered_multiset"};

std::string qualified(const NamedDecl *ND) { return LockModel::qualifiedName(ND); }

bool isHeavyContainer(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  return RD && llvm::is_contained(HeavyContainers, LockModel::qualifiedRecordName(RD));
}

bool isLocalValue(const Expr *E) {
  const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts());
  const auto *VD = DRE ? dyn_cast<VarDecl>(DRE->getDecl()) : nullptr;
  return VD && VD->isLocalVarDeclOrParm() && !VD->getType()->isReferenceType();
}

std::string sectionId(const HeldLock &H) {
  return H.Lock.key() + "@" + std::to_string(H.AcquiredAt.getRawEncoding());
}

/// Statements as a reader counts them: the children of every block, and
/// the conditions of control statements.
class StatementCounter : public RecursiveASTVisitor<StatementCounter> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitCompoundStmt(CompoundStmt *CS) {
    for (Stmt *Child : CS->body())
      add(Child);
    return true;
  }
  bool VisitIfStmt(IfStmt *S) {
    add(S->getCond());
    addBody(S->getThen());
    addBody(S->getElse());
    return true;
  }
  bool VisitWhileStmt(WhileStmt *S) { return add(S->getCond()), addBody(S->getBody()), true; }
  bool VisitDoStmt(DoStmt *S) { return add(S->getCond()), addBody(S->getBody()), true; }
  bool VisitForStmt(ForStmt *S) { return add(S->getCond()), addBody(S->getBody()), true; }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) { return add(S->getCond()), addBody(S->getBody()), true; }
  std::set<const Stmt *> Statements;

private:
  void addBody(const Stmt *S) {
    if (S && !isa<CompoundStmt>(S))
      add(S);
  }
  void add(const Stmt *S) {
    if (!S)
      return;
    Statements.insert(S);
    if (const auto *E = dyn_cast<Expr>(S))
      Statements.insert(E->IgnoreImplicit());
  }
};

/// Loops of a function body, outermost first; lambdas are their own
/// functions.
class LoopCollector : public RecursiveASTVisitor<LoopCollector> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitForStmt(ForStmt *S) { return Loops.push_back(S), true; }
  bool VisitWhileStmt(WhileStmt *S) { return Loops.push_back(S), true; }
  bool VisitDoStmt(DoStmt *S) { return Loops.push_back(S), true; }
  bool VisitCXXForRangeStmt(CXXForRangeStmt *S) { return Loops.push_back(S), true; }
  std::vector<const Stmt *> Loops;
};

/// Every statement inside a loop, and whether it waits: a loop around a
/// condition wait (`while (!ready) cv.wait(lk);`) gives the lock up on
/// every iteration.
class LoopContents : public RecursiveASTVisitor<LoopContents> {
public:
  bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  bool VisitStmt(Stmt *S) {
    Inside.push_back(S);
    return true;
  }
  bool VisitCallExpr(CallExpr *Call) {
    const FunctionDecl *FD = Call->getDirectCallee();
    if (!FD || !FD->getIdentifier())
      return true;
    llvm::StringRef Name = FD->getName();
    if (Name.starts_with("pthread_cond_") && Name.contains("wait"))
      Waits = true;
    if (isa<CXXMethodDecl>(FD) && (Name.starts_with_insensitive("wait") || Name.ends_with("Wait")))
      Waits = true;
    return true;
  }
  std::vector<const Stmt *> Inside;
  bool Waits = false;
};

class CostCollector : public LocksetObserver {
public:
  CostCollector(const CostOptions &Options, const std::set<const Stmt *> &Statements)
      : Options(Options), Statements(Statements) {}

  void element(const CFGElement &Element, const Lockset &Before) override {
    const Stmt *S = nullptr;
    if (auto St = Element.getAs<CFGStmt>())
      S = St->getStmt();
    else if (auto Ctor = Element.getAs<CFGConstructor>())
      S = Ctor->getStmt();
    if (!S)
      return;
    std::vector<const HeldLock *> Held;
    for (const HeldLock &H : Before.held())
      if (H.Definitely && H.PendingTry.empty())
        Held.push_back(&H);

    // Held on every visit of this statement.
    std::set<std::string> Keys;
    for (const HeldLock *H : Held) {
      Keys.insert(H->Lock.key());
      Infos.emplace(H->Lock.key(), *H);
    }
    auto [It, First] = HeldAt.emplace(S, Keys);
    if (!First) {
      std::set<std::string> Both;
      for (const std::string &K : It->second)
        if (Keys.count(K))
          Both.insert(K);
      It->second = std::move(Both);
    }
    if (Held.empty())
      return;

    if (Statements.count(S))
      for (const HeldLock *H : Held) {
        if (S->getBeginLoc() == H->AcquiredAt)
          continue; // the guard's own declaration
        std::string Id = sectionId(*H);
        Sections[Id].insert(S);
        SectionLocks.emplace(Id, *H);
      }
    if (std::optional<std::pair<CostlyWork::Kind, std::string>> Costly = costlyAt(S))
      if (Reported.insert(S).second) {
        CostlyWork W{Costly->first, S->getBeginLoc(), {}, Costly->second};
        for (const HeldLock *H : Held)
          W.Locks.push_back(*H);
        Found.push_back(std::move(W));
      }
  }

  std::optional<std::pair<CostlyWork::Kind, std::string>> costlyAt(const Stmt *S) const {
    if (const auto *CE = dyn_cast<CXXConstructExpr>(S)) {
      const CXXRecordDecl *RD = CE->getType()->getAsCXXRecordDecl();
      if (RD && CE->getNumArgs() > 0 && !CE->getConstructor()->isCopyOrMoveConstructor())
        if (std::string Name = LockModel::qualifiedRecordName(RD); llvm::is_contained(Options.CostlyFunctions, Name))
          return std::make_pair(CostlyWork::Kind::CostlyCall, Name);
      return std::nullopt;
    }
    const auto *Call = dyn_cast<CallExpr>(S);
    const FunctionDecl *FD = Call ? Call->getDirectCallee() : nullptr;
    if (!FD)
      return std::nullopt;
    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call)) {
      // `shared_ = local;` publishes a copy: moving or swapping it in
      // would not allocate under the lock.
      const auto *Method = dyn_cast<CXXMethodDecl>(FD);
      if (Op->getOperator() == OO_Equal && Method && Method->isCopyAssignmentOperator() && Op->getNumArgs() == 2 &&
          isHeavyContainer(Op->getArg(0)->getType()) && !isLocalValue(Op->getArg(0)) && isLocalValue(Op->getArg(1)))
        return std::make_pair(CostlyWork::Kind::ContainerCopy, textOfDecl(Op->getArg(1)));
      return std::nullopt;
    }
    std::string Name;
    if (const auto *Method = dyn_cast<CXXMethodDecl>(FD); Method && Method->getIdentifier())
      Name = LockModel::qualifiedRecordName(Method->getParent()) + "::" + Method->getName().str();
    else if (FD->getIdentifier())
      Name = FD->getDeclContext()->getRedeclContext()->isTranslationUnit() ? FD->getName().str() : qualified(FD);
    if (!Name.empty() && llvm::is_contained(Options.CostlyFunctions, Name))
      return std::make_pair(CostlyWork::Kind::CostlyCall, Name);
    return std::nullopt;
  }

  static std::string textOfDecl(const Expr *E) {
    if (const auto *DRE = dyn_cast<DeclRefExpr>(E->IgnoreParenImpCasts()))
      return DRE->getDecl()->getNameAsString();
    return "container";
  }

  const CostOptions &Options;
  const std::set<const Stmt *> &Statements;
  std::map<const Stmt *, std::set<std::string>> HeldAt;
  std::map<std::string, HeldLock> Infos;
  std::map<std::string, std::set<const Stmt *>> Sections;
  std::map<std::string, HeldLock> SectionLocks;
  std::set<const Stmt *> Reported;
  std::vector<CostlyWork> Found;
};

std::optional<uint64_t> constantValue(const Expr *E, ASTContext &Ctx) {
  if (!E || E->isValueDependent())
    return std::nullopt;
  Expr::EvalResult R;
  if (!E->IgnoreParenImpCasts()->EvaluateAsInt(R, Ctx) || R.Val.getInt().isNegative())
    return std::nullopt;
  return R.Val.getInt().getLimitedValue();
}

} // namespace

std::optional<uint64_t> CriticalSectionCost::constantTripCount(const Stmt *Loop, ASTContext &Ctx) {
  if (const auto *Do = dyn_cast<DoStmt>(Loop)) {
    Expr::EvalResult R;
    if (Do->getCond()->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0)
      return 1;
    return std::nullopt;
  }
  if (const auto *While = dyn_cast<WhileStmt>(Loop)) {
    Expr::EvalResult R;
    if (While->getCond() && While->getCond()->EvaluateAsInt(R, Ctx) && R.Val.getInt() == 0)
      return 0;
    return std::nullopt;
  }
  if (const auto *Range = dyn_cast<CXXForRangeStmt>(Loop)) {
    QualType T = Range->getRangeInit()->getType().getNonReferenceType();
    if (const auto *Array = Ctx.getAsConstantArrayType(T))
      return Array->getSize().getLimitedValue();
    if (const auto *List = dyn_cast<InitListExpr>(Range->getRangeInit()->IgnoreImplicit()))
      return List->getNumInits();
    if (const auto *Std = dyn_cast<CXXStdInitializerListExpr>(Range->getRangeInit()->IgnoreImplicit()))
      if (const auto *Array = Ctx.getAsConstantArrayType(Std->getSubExpr()->IgnoreImplicit()->getType()))
        return Array->getSize().getLimitedValue();
    if (const auto *Spec = dyn_cast_or_null<ClassTemplateSpecializationDecl>(T->getAsCXXRecordDecl()))
      if (LockModel::qualifiedRecordName(Spec) == "std::array" && Spec->getTemplateArgs().size() == 2 &&
          Spec->getTemplateArgs()[1].getKind() == TemplateArgument::Integral)
        return Spec->getTemplateArgs()[1].getAsIntegral().getLimitedValue();
    return std::nullopt;
  }
  const auto *For = dyn_cast<ForStmt>(Loop);
  if (!For || !For->getCond())
    return std::nullopt;
  // `for (int i = c0; i < N; ...)` with N a constant: at most N - c0 runs.
  const auto *Cmp = dyn_cast<BinaryOperator>(For->getCond()->IgnoreParenImpCasts());
  if (!Cmp || !Cmp->isComparisonOp())
    return std::nullopt;
  std::optional<uint64_t> Bound = constantValue(Cmp->getRHS(), Ctx);
  if (!Bound)
    Bound = constantValue(Cmp->getLHS(), Ctx);
  if (!Bound)
    return std::nullopt;
  uint64_t Start = 0;
  if (const auto *DS = dyn_cast_or_null<DeclStmt>(For->getInit()); DS && DS->isSingleDecl())
    if (const auto *VD = dyn_cast<VarDecl>(DS->getSingleDecl()))
      if (std::optional<uint64_t> Init = constantValue(VD->getInit(), Ctx))
        Start = std::min(*Init, *Bound);
  uint64_t Extra = Cmp->getOpcode() == BO_LE || Cmp->getOpcode() == BO_GE ? 1 : 0;
  return *Bound - Start + Extra;
}

std::vector<CostlyWork> CriticalSectionCost::find(const FunctionDecl *FD) {
  const LocksetAnalysis *Analysis = Locks.analysisOf(FD);
  if (!Analysis)
    return {};
  StatementCounter Counter;
  Counter.TraverseStmt(FD->getBody());
  CostCollector Collector(Options, Counter.Statements);
  Analysis->replay(Collector);
  std::vector<CostlyWork> Out = std::move(Collector.Found);
  ASTContext &Ctx = FD->getASTContext();

  LoopCollector Loops;
  Loops.TraverseStmt(FD->getBody());
  LoopCost Iterations(Ctx, Events.model(), Options.CostlyFunctions, Options.SmallTripCount);
  std::vector<SourceRange> ReportedLoops;
  for (const Stmt *Loop : Loops.Loops) {
    SourceRange Range = Loop->getSourceRange();
    if (llvm::any_of(ReportedLoops, [&](SourceRange R) {
          return Ctx.getSourceManager().isPointWithin(Range.getBegin(), R.getBegin(), R.getEnd());
        }))
      continue; // inside a loop already reported
    LoopContents Contents;
    Contents.TraverseStmt(const_cast<Stmt *>(Loop));
    if (Contents.Waits)
      continue;
    if (std::optional<uint64_t> Trips = constantTripCount(Loop, Ctx); Trips && *Trips <= Options.SmallTripCount)
      continue;
    // Locks held at every statement of the loop the analysis reached.
    std::optional<std::set<std::string>> Throughout;
    for (const Stmt *S : Contents.Inside) {
      auto It = Collector.HeldAt.find(S);
      if (It == Collector.HeldAt.end())
        continue;
      if (!Throughout) {
        Throughout = It->second;
        continue;
      }
      std::set<std::string> Both;
      for (const std::string &K : *Throughout)
        if (It->second.count(K))
          Both.insert(K);
      *Throughout = std::move(Both);
    }
    if (!Throughout || Throughout->empty())
      continue;
    std::optional<std::string> Costly = Iterations.costlyWorkIn(Loop);
    if (!Costly && !Options.StrictLoops)
      continue; // one cheap pass over the data: the short section itself
    CostlyWork W{CostlyWork::Kind::Loop, Loop->getBeginLoc(), {}, Costly.value_or("")};
    for (const std::string &K : *Throughout)
      W.Locks.push_back(Collector.Infos.at(K));
    Out.push_back(std::move(W));
    ReportedLoops.push_back(Range);
  }

  if (Options.MaxStatements > 0)
    for (const auto &[Id, Stmts] : Collector.Sections)
      if (Stmts.size() > Options.MaxStatements) {
        const HeldLock &H = Collector.SectionLocks.at(Id);
        if (H.AcquiredAt.isInvalid())
          continue;
        Out.push_back({CostlyWork::Kind::LongSection, H.AcquiredAt, {H}, std::to_string(Stmts.size())});
      }

  const SourceManager &SM = Ctx.getSourceManager();
  llvm::sort(Out, [&](const CostlyWork &A, const CostlyWork &B) {
    return SM.isBeforeInTranslationUnit(A.Loc, B.Loc);
  });
  return Out;
}

} // namespace lockgraph
