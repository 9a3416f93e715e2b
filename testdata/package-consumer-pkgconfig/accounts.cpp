// Built with `pkg-config --cflags --libs lockgraph-runtime`. Two transfers
// nest two accounts of one lock class in opposite orders: the runtime
// orders same-class instances individually and reports the inversion.
#include <lockgraph/mutex.h>

#include <mutex>
#include <thread>

struct Account {
  lockgraph::mutex mu LOCKGRAPH_MUTEX_NAME("Account::mu");
  long balance = 100;
};

void transfer(Account& from, Account& to, long amount) {
  std::lock_guard<lockgraph::mutex> debit(from.mu);
  std::lock_guard<lockgraph::mutex> credit(to.mu);
  from.balance -= amount;
  to.balance += amount;
}

int main() {
  Account alice, bob;
  std::thread(transfer, std::ref(alice), std::ref(bob), 5).join();
  std::thread(transfer, std::ref(bob), std::ref(alice), 7).join();
}
