#include "worker.h"

// Waits for the event, then takes the state lock: were the event a mutex,
// this order and Worker::AwaitUnderState's would be a cycle.
void Worker::Resume() {
  ready_.Lock();
  state_.Lock();
  state_.Unlock();
}
