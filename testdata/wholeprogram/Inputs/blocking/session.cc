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

// Silent: CheckCall, in net.cc, prints only on its way to abort().
static std::mutex stepMu;
void CheckedStep(int rc) {
  std::lock_guard<std::mutex> hold(stepMu);
  CheckCall(rc);
}

// Silent: the wait in net.cc releases this very mutex, reached through the
// pointer the condition variable keeps.
static Mutex queueMu;
static CondVar queueReady(&queueMu);
void TakeFromQueue() {
  pthread_mutex_lock(&queueMu.mu_);
  queueReady.Wait();
  pthread_mutex_unlock(&queueMu.mu_);
}

// The worker waits on a condition of its own: poolMu stays held.
static std::mutex poolMu;
static Worker worker;
void DrainWorker() {
  std::lock_guard<std::mutex> hold(poolMu);
  worker.AwaitIdle();
}
