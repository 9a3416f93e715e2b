#include "worker.h"

void Worker::AwaitTwoSignals() {
  ready_.Lock();
  ready_.Lock();
}

void Worker::AwaitUnderState() {
  state_.Lock();
  ready_.Lock();
  state_.Unlock();
}

void Worker::PollTwice() {
  while (ready_.Lock(10) != 0) {
  }
  ready_.Lock(10);
}

void Worker::Reenter() {
  state_.Lock();
  state_.Lock();
  state_.Unlock();
  state_.Unlock();
}

void Worker::Flush() {
  mu_.Lock();
  FlushLocked();
  mu_.Unlock();
}

void Worker::FlushLocked() {
  mu_.Lock();
  mu_.Unlock();
}
