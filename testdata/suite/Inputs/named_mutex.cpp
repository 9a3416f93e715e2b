// lockgraph::mutex (the linked runtime): locks are their class, the name
// given to the constructor, in every process. "ab" locks the ledger then
// the account, "ba" the reverse.
#include <lockgraph/mutex.h>

#include <cstring>
#include <mutex>

lockgraph::mutex ledger{"Bank::ledger"};
lockgraph::mutex account{"Bank::account"};

int main(int argc, char **argv) {
  bool ab = argc < 2 || std::strcmp(argv[1], "ab") == 0;
  std::lock_guard<lockgraph::mutex> first(ab ? ledger : account);
  std::lock_guard<lockgraph::mutex> second(ab ? account : ledger);
}
