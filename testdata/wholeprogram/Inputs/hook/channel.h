#pragma once
#include <mutex>
#include <string>

// A base class whose public entry point takes the object's mutex and calls
// a virtual hook (the template-method pattern); implementations elsewhere.
class Channel {
public:
  virtual ~Channel() = default;
  virtual void send(int Bytes);
  std::string status();
  // Sends through another channel, whose class is not known here.
  void relay(Channel &Other);

protected:
  virtual void deliver(int Bytes) = 0;
  std::mutex Mu;
  std::string Status;
};

// Its deliver() calls status(), which takes Mu again: send() deadlocks on
// every TcpChannel.
class TcpChannel final : public Channel {
protected:
  void deliver(int Bytes) override;
  void reconnect();
};

// Takes no lock in deliver().
class NullChannel final : public Channel {
protected:
  void deliver(int Bytes) override;
};

// Its deliver() also calls status(), but it overrides send() without the
// lock: Channel::send never runs on a LoggedChannel, so no double lock.
class LoggedChannel final : public Channel {
public:
  void send(int Bytes) override { deliver(Bytes); }
protected:
  void deliver(int Bytes) override;
};
