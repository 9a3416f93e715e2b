#include "net.h"
#include <chrono>
#include <thread>

class Session {
public:
  void Flush();
  void Retry();
  void Sleepy();
  void Quiet();

private:
  void Pause() { Backoff(10); }
  void NapHere() { std::this_thread::sleep_for(std::chrono::milliseconds(1)); }
  std::mutex mu_;
  Socket sock_;
};

void Session::Flush() {
  std::lock_guard<std::mutex> hold(mu_);
  sock_.SendAll("x", 1);
}

void Session::Retry() {
  std::lock_guard<std::mutex> hold(mu_);
  Pause();
}

void Session::Sleepy() {
  std::lock_guard<std::mutex> hold(mu_);
  NapHere();
}

void Session::Quiet() {
  {
    std::unique_lock<std::mutex> hold(mu_);
    sock_.Describe();
    sock_.SendWithout(hold, "x", 1);
    AwaitReady(hold);
  }
  sock_.SendAll("x", 1);
}

// Silent: the assertion's report runs only when it fails.
static std::mutex checkedMu;
void CheckedDescribe(Socket &s) {
  std::lock_guard<std::mutex> hold(checkedMu);
  NET_ASSERT(s.Describe() >= -1);
}
