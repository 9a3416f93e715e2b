//===- LockExpr.cpp -------------------------------------------------------===//

#include "model/LockExpr.h"
#include "model/LockModel.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Attr.h"
#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace lockgraph {

static std::string qualifiedName(const NamedDecl *ND) { return LockModel::qualifiedName(ND); }

static std::string sourceText(const Expr *E, const ASTContext &Ctx) {
  CharSourceRange Range = CharSourceRange::getTokenRange(E->getSourceRange());
  llvm::StringRef Text = Lexer::getSourceText(Range, Ctx.getSourceManager(), Ctx.getLangOpts());
  std::string Out;
  // Collapse whitespace so multi-line expressions read well in one message.
  for (char C : Text) {
    if (std::isspace(static_cast<unsigned char>(C))) {
      if (!Out.empty() && Out.back() != ' ')
        Out.push_back(' ');
    } else {
      Out.push_back(C);
    }
  }
  return Out;
}

bool isSmartPointerType(QualType T) {
  const CXXRecordDecl *RD = T.getNonReferenceType()->getAsCXXRecordDecl();
  for (unsigned Depth = 0; RD && Depth < 4; ++Depth) {
    std::string Name = LockModel::qualifiedRecordName(RD);
    if (Name == "std::unique_ptr" || Name == "std::shared_ptr")
      return true;
    // A pointer class of the project's own wraps the standard one as its
    // only base.
    RD = RD->hasDefinition() && RD->getNumBases() == 1 ? RD->bases_begin()->getType()->getAsCXXRecordDecl() : nullptr;
  }
  return false;
}

/// Builds a LockExpr bottom-up: first the root, then each member access.
class LockExprBuilder {
public:
  explicit LockExprBuilder(const ASTContext &Ctx) : Ctx(Ctx) {}

  std::optional<LockExpr> build(const Expr *E, unsigned Depth = 0) {
    if (!E || Depth > 16)
      return std::nullopt;
    E = E->IgnoreParenImpCasts();
    if (const auto *Cleanups = dyn_cast<ExprWithCleanups>(E))
      return build(Cleanups->getSubExpr(), Depth + 1);
    if (const auto *Temp = dyn_cast<MaterializeTemporaryExpr>(E))
      return build(Temp->getSubExpr(), Depth + 1);

    if (const auto *UO = dyn_cast<UnaryOperator>(E))
      if (UO->getOpcode() == UO_AddrOf || UO->getOpcode() == UO_Deref)
        return build(UO->getSubExpr(), Depth + 1);

    if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(E))
      if ((Op->getOperator() == OO_Star || Op->getOperator() == OO_Arrow) && Op->getNumArgs() == 1 &&
          isSmartPointerType(Op->getArg(0)->getType()))
        return build(Op->getArg(0), Depth + 1);

    if (isa<CXXThisExpr>(E))
      return makeRoot(LockExpr::Root::This, "this", "this", thisClass(E));

    if (const auto *DRE = dyn_cast<DeclRefExpr>(E))
      return fromDecl(DRE->getDecl(), E, Depth);

    if (const auto *ME = dyn_cast<MemberExpr>(E)) {
      const ValueDecl *Member = ME->getMemberDecl();
      if (isa<VarDecl>(Member)) // static data member
        return fromDecl(Member, E, Depth);
      std::optional<LockExpr> Base = build(ME->getBase(), Depth + 1);
      if (!Base)
        return std::nullopt;
      return appendMember(*Base, Member, E);
    }

    if (const auto *AS = dyn_cast<ArraySubscriptExpr>(E)) {
      std::optional<LockExpr> Base = build(AS->getBase(), Depth + 1);
      if (!Base)
        return std::nullopt;
      std::string Index = "*";
      if (const auto *Lit = dyn_cast<IntegerLiteral>(AS->getIdx()->IgnoreParenImpCasts()))
        Index = std::to_string(Lit->getValue().getZExtValue());
      LockExpr Out = *Base;
      Out.Suffix += "[" + Index + "]";
      Out.Key += "[" + Index + "]";
      // An element named by a constant is a class of its own: `m[0]` then
      // `m[1]` is an order like any other, reversed only by `m[1]` then
      // `m[0]`. Elements named by a variable share one class, `m[]`.
      Out.Class += Index == "*" ? "[]" : "[" + Index + "]";
      Out.Spelling = sourceText(E, Ctx);
      return Out;
    }

    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(E)) {
      // `ptr.get()` on a smart pointer is the pointee; `ref.get()` on a
      // std::reference_wrapper, or its conversion to `T &`, the referent.
      if (const CXXMethodDecl *M = MC->getMethodDecl()) {
        QualType Object = MC->getImplicitObjectArgument()->getType();
        bool Get = M->getIdentifier() && M->getName() == "get";
        if ((Get && isSmartPointerType(Object)) ||
            ((Get || isa<CXXConversionDecl>(M)) && !LockModel::wrappedReference(Object).isNull()))
          return build(MC->getImplicitObjectArgument(), Depth + 1);
      }
    }

    if (const auto *Call = dyn_cast<CallExpr>(E)) {
      if (std::optional<LockExpr> Accessed = throughAccessor(Call, Depth))
        return Accessed;
      if (const FunctionDecl *Callee = Call->getDirectCallee()) {
        // The object a member function runs on tells two calls apart
        // (`a->lock` and `b->lock` through a pointer class's `operator->`
        // are two objects).
        std::string Receiver;
        const Expr *Object = nullptr;
        if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
          Object = MC->getImplicitObjectArgument();
        else if (const auto *Op = dyn_cast<CXXOperatorCallExpr>(Call); Op && isa<CXXMethodDecl>(Callee))
          Object = Op->getArg(0);
        if (Object)
          if (std::optional<LockExpr> R = build(Object, Depth + 1))
            Receiver = R->key();
        std::string Name = qualifiedName(Callee);
        // What a global accessor returns is program-wide state, the same
        // object for every caller: a static, like a global variable.
        if (isGlobalAccessor(Callee)) {
          std::string Accessor = instantiatedName(Callee) + "()";
          return makeRoot(LockExpr::Root::Global, "@" + Accessor, sourceText(E, Ctx), Accessor);
        }
        return makeRoot(LockExpr::Root::Call, "call:" + Name + "(" + Receiver + ")", sourceText(E, Ctx),
                        Name + "()");
      }
    }

    std::string Text = sourceText(E, Ctx);
    if (Text.empty())
      return std::nullopt;
    return makeRoot(LockExpr::Root::Opaque, "text:" + Text, Text, Text);
  }

  /// `mutex()` where `Mutex *mutex() { return &mu_; }`: the member the
  /// accessor returns, on the object it is called on. Accessors whose
  /// body is elsewhere or that may be overridden stay calls.
  std::optional<LockExpr> throughAccessor(const CallExpr *Call, unsigned Depth) {
    const Expr *Returned = accessorResult(Call->getDirectCallee());
    if (!Returned)
      return std::nullopt;
    std::optional<LockExpr> Inner = build(Returned, Depth + 1);
    if (!Inner)
      return std::nullopt;
    std::optional<LockExpr> Receiver;
    if (const auto *MC = dyn_cast<CXXMemberCallExpr>(Call))
      Receiver = build(MC->getImplicitObjectArgument(), Depth + 1);
    if (Inner->root() != LockExpr::Root::This && Inner->root() != LockExpr::Root::Global)
      return std::nullopt;
    // Spelled as the member it is ("mu_", "db.mu_"): messages name the lock.
    return Inner->inCaller(Receiver, {});
  }

  /// `Registry::Instance()`, `ControlsInstance()`: a free or static
  /// member function without parameters returning a reference or pointer.
  /// Nothing a caller passes chooses the object it returns, so every call
  /// names the same one (a singleton) — unless its body, when visible,
  /// shows it returns another object per call or per thread.
  static bool isGlobalAccessor(const FunctionDecl *FD) {
    if (FD->getNumParams() != 0 || FD->isOverloadedOperator())
      return false;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && !MD->isStatic())
      return false;
    QualType T = FD->getReturnType();
    if (!T->isReferenceType() && !T->isPointerType())
      return false;
    const FunctionDecl *Def = nullptr;
    return !FD->hasBody(Def) || !returnsObjectPerCall(Def->getBody());
  }

  /// Whether a `return` in \p S gives a `thread_local` (one object per
  /// thread) or an element picked at run time (`shards[turn++ % N]`).
  static bool returnsObjectPerCall(const Stmt *S) {
    if (!S || isa<LambdaExpr>(S))
      return false;
    if (const auto *Ret = dyn_cast<ReturnStmt>(S); Ret && Ret->getRetValue()) {
      const Expr *V = Ret->getRetValue()->IgnoreParenImpCasts();
      if (const auto *UO = dyn_cast<UnaryOperator>(V); UO && UO->getOpcode() == UO_AddrOf)
        V = UO->getSubExpr()->IgnoreParenImpCasts();
      if (const auto *AS = dyn_cast<ArraySubscriptExpr>(V))
        return !isa<IntegerLiteral>(AS->getIdx()->IgnoreParenImpCasts());
      if (const auto *DRE = dyn_cast<DeclRefExpr>(V))
        if (const auto *VD = dyn_cast<VarDecl>(DRE->getDecl()))
          return VD->getTLSKind() != VarDecl::TLS_None;
      return false;
    }
    return llvm::any_of(S->children(), [](const Stmt *Child) { return returnsObjectPerCall(Child); });
  }

  /// What an accessor returns (`{ return &mu_; }`, `{ return mu_; }` by
  /// reference, `{ return &g_mu; }`), or null for any other function.
  static const Expr *accessorResult(const FunctionDecl *FD) {
    if (!FD)
      return nullptr;
    QualType T = FD->getReturnType();
    if (!T->isReferenceType() && !T->isPointerType())
      return nullptr;
    if (const auto *MD = dyn_cast<CXXMethodDecl>(FD); MD && MD->isVirtual() && !MD->hasAttr<FinalAttr>() &&
                                                       !MD->getParent()->hasAttr<FinalAttr>())
      return nullptr;
    const FunctionDecl *Def = nullptr;
    if (!FD->hasBody(Def))
      return nullptr;
    const auto *Body = dyn_cast_or_null<CompoundStmt>(Def->getBody());
    if (!Body || Body->size() != 1)
      return nullptr;
    const auto *Ret = dyn_cast<ReturnStmt>(Body->body_front());
    if (!Ret || !Ret->getRetValue())
      return nullptr;
    const Expr *V = Ret->getRetValue()->IgnoreParenImpCasts();
    if (const auto *UO = dyn_cast<UnaryOperator>(V); UO && UO->getOpcode() == UO_AddrOf)
      V = UO->getSubExpr()->IgnoreParenImpCasts();
    for (const Expr *Path = V;;) {
      if (const auto *ME = dyn_cast<MemberExpr>(Path)) {
        Path = ME->getBase()->IgnoreParenImpCasts();
        continue;
      }
      if (isa<CXXThisExpr>(Path))
        return V;
      if (const auto *DRE = dyn_cast<DeclRefExpr>(Path)) {
        const auto *VD = dyn_cast<VarDecl>(DRE->getDecl());
        return VD && VD->hasGlobalStorage() ? V : nullptr;
      }
      return nullptr;
    }
  }

  std::optional<LockExpr> fromDecl(const ValueDecl *D, const Expr *E, unsigned Depth) {
    const auto *VD = dyn_cast<VarDecl>(D);
    if (!VD) {
      if (const auto *FD = dyn_cast<FieldDecl>(D)) // member named in a default initializer
        return appendMember(*makeRoot(LockExpr::Root::This, "this", "this", ""), FD, E);
      return std::nullopt;
    }
    std::string Spelling = E ? sourceText(E, Ctx) : VD->getNameAsString();
    if (Spelling.empty())
      Spelling = VD->getNameAsString();
    std::optional<LockExpr> Out = rootOfVar(VD, Spelling, Depth);
    if (Out && !Out->RootDecl)
      Out->RootDecl = VD;
    return Out;
  }

  std::optional<LockExpr> rootOfVar(const VarDecl *VD, const std::string &Spelling, unsigned Depth) {
    if (VD->hasGlobalStorage()) {
      // A function's static is named by its function: each function, and
      // each instantiation of a template's function, has its own
      // (`SingletonType<A>::GetObject()::g_AdminLock` is not `<B>`'s).
      std::string Name = VD->isStaticLocal() ? staticLocalName(VD) : qualifiedName(VD);
      return makeRoot(LockExpr::Root::Global, "@" + Name, Spelling, Name);
    }
    if (const auto *PVD = dyn_cast<ParmVarDecl>(VD)) {
      std::optional<LockExpr> Out = makeRoot(LockExpr::Root::Param,
                                             "param#" + std::to_string(PVD->getFunctionScopeIndex()) + ":" +
                                                 PVD->getNameAsString(),
                                             Spelling, functionName(PVD) + "::" + PVD->getNameAsString());
      Out->ParamIdx = PVD->getFunctionScopeIndex();
      return Out;
    }
    // A local reference bound to a lock is that lock (`auto &m = acct.mu;`),
    // unless it is bound to something without a name of its own (a
    // range-for variable bound to `*__begin`).
    if (VD->getType()->isReferenceType() && VD->getInit() && !VD->isCXXForRangeDecl())
      if (std::optional<LockExpr> Target = build(VD->getInit(), Depth + 1);
          Target && Target->root() != LockExpr::Root::Opaque)
        return Target;
    if (std::optional<LockExpr> Object = objectOfLambdaDefinedHere(VD))
      return Object;
    char Id[32];
    snprintf(Id, sizeof(Id), "%p", static_cast<const void *>(VD->getCanonicalDecl()));
    return makeRoot(LockExpr::Root::Local, "local:" + VD->getNameAsString() + "@" + Id, Spelling,
                    functionName(VD) + "::" + VD->getNameAsString());
  }

  /// A local lambda that captures `this`, made in the function that
  /// declares it (`auto cleanup = [&] { Cleanup(); };`), runs on that
  /// function's object: calling it is calling a member of `this`, so its
  /// `this->mu_` is the caller's `mu_`, not a member of the closure.
  std::optional<LockExpr> objectOfLambdaDefinedHere(const VarDecl *VD) {
    const CXXRecordDecl *Closure = VD->getType().getNonReferenceType()->getAsCXXRecordDecl();
    if (!Closure || !Closure->isLambda() || Closure->getDeclContext() != VD->getDeclContext() ||
        llvm::none_of(Closure->captures(), [](const LambdaCapture &C) { return C.capturesThis(); }))
      return std::nullopt;
    // In a lambda nested in the method, `this` is still the method's.
    const DeclContext *DC = VD->getDeclContext();
    while (isa<CXXMethodDecl>(DC) && cast<CXXMethodDecl>(DC)->getParent()->isLambda())
      DC = cast<CXXMethodDecl>(DC)->getParent()->getDeclContext();
    const auto *Method = dyn_cast<CXXMethodDecl>(DC);
    if (!Method || Method->isStatic())
      return std::nullopt;
    return makeRoot(LockExpr::Root::This, "this", "this", LockModel::qualifiedRecordName(Method->getParent()));
  }

  std::optional<LockExpr> makeRoot(LockExpr::Root Kind, std::string Key, std::string Spelling,
                                   std::string Class) {
    LockExpr Out;
    Out.RootKind = Kind;
    Out.Key = std::move(Key);
    Out.Spelling = std::move(Spelling);
    Out.Class = std::move(Class);
    return Out;
  }

  LockExpr appendMember(LockExpr Base, const ValueDecl *Member, const Expr *E) {
    Base.Suffix += "." + Member->getNameAsString();
    Base.Key += "." + Member->getNameAsString();
    Base.LastMember = Member;
    if (const auto *RD = dyn_cast<CXXRecordDecl>(Member->getDeclContext()))
      Base.Class = LockModel::qualifiedRecordName(RD) + "::" + Member->getNameAsString();
    else
      Base.Class = Member->getNameAsString();
    if (E) {
      std::string Text = sourceText(E, Ctx);
      if (!Text.empty())
        Base.Spelling = Text;
    }
    return Base;
  }

  static std::string functionName(const Decl *D) {
    const DeclContext *DC = D->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC))
      DC = DC->getParent();
    if (const auto *FD = dyn_cast_or_null<FunctionDecl>(DC))
      return qualifiedName(FD) + "()";
    return "";
  }

  /// The qualified name of \p FD with a function template's arguments
  /// ("make<int>"): each instantiation has its own statics.
  static std::string instantiatedName(const FunctionDecl *FD) {
    std::string Name = qualifiedName(FD);
    if (const TemplateArgumentList *Args = FD->getTemplateSpecializationArgs()) {
      llvm::raw_string_ostream OS(Name);
      printTemplateArgumentList(OS, Args->asArray(), PrintingPolicy(FD->getASTContext().getLangOpts()));
    }
    return Name;
  }

  /// "f<int>()::name" for a static local of a function.
  static std::string staticLocalName(const VarDecl *VD) {
    const DeclContext *DC = VD->getDeclContext();
    while (DC && !isa<FunctionDecl>(DC))
      DC = DC->getParent();
    const auto *FD = dyn_cast_or_null<FunctionDecl>(DC);
    return (FD ? instantiatedName(FD) + "()::" : std::string()) + VD->getNameAsString();
  }

  static std::string thisClass(const Expr *E) {
    if (const CXXRecordDecl *RD = E->getType()->getPointeeCXXRecordDecl())
      return LockModel::qualifiedRecordName(RD);
    return "this";
  }

private:
  const ASTContext &Ctx;
};

std::optional<LockExpr> LockExpr::fromExpr(const Expr *E, const ASTContext &Ctx) {
  return LockExprBuilder(Ctx).build(E);
}

LockExpr LockExpr::fromVar(const ValueDecl *VD, const ASTContext &Ctx) {
  LockExprBuilder Builder(Ctx);
  if (std::optional<LockExpr> Out = Builder.fromDecl(VD, nullptr, 0))
    return *Out;
  LockExpr Fallback;
  Fallback.Key = "decl:" + VD->getNameAsString();
  Fallback.Spelling = Fallback.Class = VD->getNameAsString();
  return Fallback;
}

LockExpr LockExpr::forThisMember(const FieldDecl *Field, const ASTContext &Ctx) {
  LockExprBuilder Builder(Ctx);
  LockExpr This = *Builder.makeRoot(Root::This, "this", "this", "");
  LockExpr Out = Builder.appendMember(This, Field, nullptr);
  Out.Spelling = Field->getNameAsString();
  return Out;
}

LockExpr LockExpr::forTemporary(const Expr *E) {
  char Id[32];
  snprintf(Id, sizeof(Id), "%p", static_cast<const void *>(E));
  LockExpr Out;
  Out.RootKind = Root::Opaque;
  Out.Key = std::string("temp:") + Id;
  Out.Spelling = Out.Class = "temporary";
  return Out;
}

std::string LockExpr::ownerKey() const {
  if (isBareRoot())
    return {};
  size_t Dot = Key.rfind('.');
  return Dot == std::string::npos ? std::string() : Key.substr(0, Dot);
}

std::optional<LockExpr> LockExpr::inCaller(const std::optional<LockExpr> &Receiver,
                                           llvm::ArrayRef<std::optional<LockExpr>> Args) const {
  auto Rebase = [&](const LockExpr &Base) {
    LockExpr Out = Base;
    if (LastMember)
      Out.LastMember = LastMember;
    Out.Suffix = Base.Suffix + Suffix;
    Out.Key = Base.Key + Suffix;
    if (!Suffix.empty()) {
      Out.Class = Class;
      llvm::StringRef Member = llvm::StringRef(Suffix).drop_front();
      bool BaseIsThis = Base.RootKind == Root::This && Base.Suffix.empty();
      Out.Spelling = BaseIsThis ? Member.str() : Base.Spelling + "." + Member.str();
    }
    return Out;
  };
  switch (RootKind) {
  case Root::Global:
  case Root::Call:
    return *this;
  case Root::This:
    if (Receiver)
      return Rebase(*Receiver);
    return std::nullopt;
  case Root::Param:
    if (ParamIdx < Args.size() && Args[ParamIdx])
      return Rebase(*Args[ParamIdx]);
    return std::nullopt;
  case Root::Local:
  case Root::Opaque:
    return std::nullopt;
  }
  return std::nullopt;
}

} // namespace lockgraph
