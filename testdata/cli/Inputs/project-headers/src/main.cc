// Clean itself; one header of the project and one third-party header
// have lock-order cycles.
#include "queue_lock.h"
#include "vendor_lock.h"

int main() { return 0; }
