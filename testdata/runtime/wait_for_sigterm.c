// Waits for SIGTERM, says so and exits with 7: shows whether `lockgraph
// run` passed the signal it got on to the program.
#include <signal.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t terminated;

static void onTerm(int sig) {
  (void)sig;
  terminated = 1;
}

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = onTerm;
  sigaction(SIGTERM, &sa, 0);
  for (int i = 0; i < 300 && !terminated; ++i)
    usleep(100000);
  if (!terminated)
    return 1;
  static const char message[] = "program got SIGTERM\n";
  write(2, message, sizeof message - 1);
  return 7;
}
