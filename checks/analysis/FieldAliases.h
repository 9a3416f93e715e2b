//===- FieldAliases.h - Pointer members that always point into one object --===//
//
// `ErrorHandler(DBImpl *db, InstrumentedMutex *db_mutex) : db_(db),
// db_mutex_(db_mutex)` built only as `error_handler_(this, &mutex_)`: in
// every ErrorHandler, `db_mutex_` is `&db_->mutex_`, and in every DBImpl,
// `error_handler_.db_` is the DBImpl itself. No single translation unit
// can know it (the constructor's callers are elsewhere); the link learns
// it from the constructors' `fieldParams` and every construction's
// arguments, and rewrites lock paths so one mutex has one name:
//
//  - a member set from a parameter that every construction passes as a
//    member of what it passes for another member's parameter (`&mutex_`
//    and `this`) is that member of the other: `.db_mutex_` is
//    `.db_.mutex_`, of class `DBImpl::mutex_`;
//  - a member set from a parameter that every construction of a member
//    object passes as the object holding it (`error_handler_(this, ...)`)
//    points back: `.error_handler_.db_` is the holder itself.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYSIS_FIELDALIASES_H
#define LOCKGRAPH_ANALYSIS_FIELDALIASES_H

#include "analysis/LockOrderFacts.h"

#include <map>
#include <set>

namespace lockgraph {

class FieldAliases {
public:
  /// Learns from every constructor's field parameters and every call of
  /// those constructors in \p Functions.
  void learn(const std::map<std::string, FunctionFacts> &Functions);

  /// \p L with a member that points into another object named through it
  /// (`this.db_mutex_` -> `this.db_.mutex_`).
  void rewrite(LockRef &L) const;

  /// \p Translated, the callee's \p Callee seen through \p Receiver, with a
  /// back pointer walked from its holder removed
  /// (`this.error_handler_.db_.mutex_` -> `this.mutex_`).
  void collapse(LockRef &Translated, const LockRef &Callee, const LockRef &Receiver) const;

  bool empty() const { return Members.empty() && BackPointers.empty(); }

private:
  struct MemberOf {
    std::string Through; ///< ".db_": the member pointing to the object
    std::string Suffix;  ///< ".mutex_": the path from there
    std::string Class;   ///< "DBImpl::mutex_": the class of the result
  };
  /// "ErrorHandler::db_mutex_" -> its target through another member.
  std::map<std::string, MemberOf> Members;
  /// ("DBImpl::error_handler_", ".db_"): the member of the object held in
  /// that field that points back to its holder.
  std::set<std::pair<std::string, std::string>> BackPointers;
};

} // namespace lockgraph

#endif
