// Heap locks have no address in common between processes; they are one
// lock where the program acquires them at the same place. "ab" takes the
// ledger then the account, "ba" the reverse, both through withLedger and
// withAccount. "other" takes two other heap locks at places of their own,
// in the order opposite to "ab": no site in common, no link.
#include <cstring>
#include <mutex>

struct Ledger { std::mutex mu; };
struct Account { std::mutex mu; };

template <class F> __attribute__((noinline)) void withLedger(Ledger &l, F f) {
  std::lock_guard<std::mutex> hold(l.mu);
  f();
}

template <class F> __attribute__((noinline)) void withAccount(Account &a, F f) {
  std::lock_guard<std::mutex> hold(a.mu);
  f();
}

int main(int argc, char **argv) {
  const char *order = argc > 1 ? argv[1] : "ab";
  // Freed before exit, as a test's fixtures are: graph_dir keeps their orders.
  auto *ledger = new Ledger;
  auto *account = new Account;
  if (std::strcmp(order, "ab") == 0)
    withLedger(*ledger, [&] { withAccount(*account, [] {}); });
  else if (std::strcmp(order, "ba") == 0)
    withAccount(*account, [&] { withLedger(*ledger, [] {}); });
  else {
    std::lock_guard<std::mutex> first(account->mu);
    std::lock_guard<std::mutex> second(ledger->mu);
  }
  delete account;
  delete ledger;
}
