#pragma once
#include "state.h"

class Worker {
public:
  void AwaitTwoSignals();
  void AwaitUnderState();
  void Resume();
  void PollTwice();
  void Reenter();
  void Flush();
  void FlushLocked();

private:
  core::Event ready_;
  core::StateLock state_;
  core::Mutex mu_;
};
