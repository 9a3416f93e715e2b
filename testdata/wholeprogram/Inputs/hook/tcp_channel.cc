#include "channel.h"

void TcpChannel::deliver(int Bytes) {
  if (Bytes > 0)
    reconnect();
}

void TcpChannel::reconnect() { std::string S = status(); }
