// Linked against lockgraph_runtime (no preload): lockgraph::mutex with lock
// classes. Two different account pairs and a ledger: the classes conflict
// even though no two threads ever touch the same accounts.
#include <lockgraph/mutex.h>

#include <thread>

struct Account {
  lockgraph::mutex mu{"Account::mu"};
  long balance = 100;
};

struct Ledger {
  lockgraph::mutex mu{"Ledger::mu"};
  long entries = 0;
};

Ledger ledger;

void deposit(Account& account, long amount) {
  std::lock_guard<lockgraph::mutex> a(account.mu);
  account.balance += amount;
  std::lock_guard<lockgraph::mutex> l(ledger.mu);
  ++ledger.entries;
}

void audit(Account& account) {
  std::lock_guard<lockgraph::mutex> l(ledger.mu);
  std::lock_guard<lockgraph::mutex> a(account.mu);
  ledger.entries += account.balance > 0;
}

int main() {
  Account alice, bob;
  std::thread(deposit, std::ref(alice), 5).join();
  std::thread(audit, std::ref(bob)).join();
}
