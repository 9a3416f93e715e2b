#include "channel.h"

void Channel::send(int Bytes) {
  std::lock_guard<std::mutex> Guard(Mu);
  deliver(Bytes);
}

std::string Channel::status() {
  std::lock_guard<std::mutex> Guard(Mu);
  return Status;
}

void Channel::relay(Channel &Other) {
  std::lock_guard<std::mutex> Guard(Other.Mu);
  Other.deliver(1);
}
