//===- LockExpr.h - Which lock an expression names ------------------------===//
//
// Two expressions name the same lock when they reach the same object through
// the same path: `mu_`, `this->mu_` and `(*this).mu_` do; `a.mu` and `b.mu`
// do not (they are two instances of the lock class `Account::mu`). The
// analysis within a function compares instances (keys); the whole-program
// graph compares classes.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_MODEL_LOCKEXPR_H
#define LOCKGRAPH_MODEL_LOCKEXPR_H

#include "clang/AST/Expr.h"
#include "clang/Basic/SourceLocation.h"
#include <optional>
#include <string>

namespace clang {
class ASTContext;
class QualType;
class ValueDecl;
} // namespace clang

namespace lockgraph {

class LockExpr {
public:
  /// How the path starts; decides the lock class and whether a callee's
  /// lock can be translated to its caller.
  enum class Root {
    Global, ///< namespace-scope or static variable, or what a global accessor returns
    This,   ///< a member of the object the function runs on
    Param,  ///< reached from a function parameter
    Local,  ///< reached from a local variable
    Call,   ///< the result of a call (`getMutex()`): precise only by name
    Opaque, ///< anything else, identified by its spelling
  };

  /// The lock named by \p E, looking through parentheses, casts, `&`, `*`,
  /// `->`, smart-pointer operators and local references.
  static std::optional<LockExpr> fromExpr(const clang::Expr *E, const clang::ASTContext &Ctx);

  /// The lock that is the variable \p VD itself (a guard or mutex variable).
  static LockExpr fromVar(const clang::ValueDecl *VD, const clang::ASTContext &Ctx);

  /// The member \p Field of the object the function runs on.
  static LockExpr forThisMember(const clang::FieldDecl *Field, const clang::ASTContext &Ctx);

  /// A temporary or otherwise unnamed object created by \p E (a guard
  /// constructed as a temporary, returned, or passed as an argument).
  static LockExpr forTemporary(const clang::Expr *E);

  /// Identity within one function; equal keys mean the same object.
  const std::string &key() const { return Key; }
  /// How a user wrote it, for messages: "mu_", "acct.mu", "g_lock".
  const std::string &spelling() const { return Spelling; }
  /// Identity across the program: "Account::mu", "g_lock", "f()::local".
  const std::string &lockClass() const { return Class; }
  Root root() const { return RootKind; }
  /// For Param roots: the parameter's index in its function.
  unsigned paramIndex() const { return ParamIdx; }
  /// The last member in the path (`mu_` in `this->mu_`), if any.
  const clang::ValueDecl *lastMember() const { return LastMember; }
  /// The variable the path starts from, for Local, Param and Global roots.
  const clang::ValueDecl *rootDecl() const { return RootDecl; }
  /// Whether the path has no member access after its root.
  bool isBareRoot() const { return Suffix.empty(); }
  /// The member path after the root (".mu", ".inner.mu", "[]"), empty for
  /// a bare root; what a caller appends to its receiver or argument.
  const std::string &suffix() const { return Suffix; }
  /// The key of the object this member belongs to (`this` for `this.mu_`,
  /// `this.a` for `this.a.mu`), or empty for a bare root: two members with
  /// one owner key are siblings in one object.
  std::string ownerKey() const;

  /// This expression as seen from a caller: `this` replaced by \p Receiver,
  /// or the parameter replaced by the argument. Returns nothing when the
  /// lock is local to the callee and meaningless outside it.
  std::optional<LockExpr> inCaller(const std::optional<LockExpr> &Receiver,
                                   llvm::ArrayRef<std::optional<LockExpr>> Args) const;

  bool operator==(const LockExpr &O) const { return Key == O.Key; }
  bool operator!=(const LockExpr &O) const { return Key != O.Key; }
  bool operator<(const LockExpr &O) const { return Key < O.Key; }

private:
  // Path components after the root, each "." member or "[]".
  std::string Key, Spelling, Class, Suffix;
  Root RootKind = Root::Opaque;
  unsigned ParamIdx = 0;
  const clang::ValueDecl *LastMember = nullptr;
  const clang::ValueDecl *RootDecl = nullptr;

  friend class LockExprBuilder;
};

/// `std::unique_ptr`/`std::shared_ptr`, or a project's pointer class
/// derived from one (DuckDB's checked `duckdb::unique_ptr`): what it
/// points to is the object, whatever `operator->` adds on the way.
bool isSmartPointerType(clang::QualType T);

} // namespace lockgraph

#endif
