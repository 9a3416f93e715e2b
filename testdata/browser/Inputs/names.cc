// Names with '<', '>' and '&' (a function template, a file name): the page
// must show them as text, not parse them as markup.
#include <mutex>

std::mutex first_mu, second_mu, log_mu;

template <class T> void lockInOrder() {
  std::lock_guard<std::mutex> a(first_mu);
  std::lock_guard<std::mutex> b(second_mu);
}

struct Tag {};
template void lockInOrder<Tag>();

void lockReversed() {
  std::lock_guard<std::mutex> a(second_mu);
  std::lock_guard<std::mutex> b(first_mu);
}

void logUnderSecond() {
  std::lock_guard<std::mutex> a(second_mu);
  std::lock_guard<std::mutex> b(log_mu);
}
