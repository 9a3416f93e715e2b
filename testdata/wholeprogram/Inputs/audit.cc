#include "account.h"

// Locks the account's mutex again: deposit() already holds it.
void Account::audit() { lockedAudit(); }
