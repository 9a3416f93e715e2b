// Clean itself; the only finding is in the header it includes.
#include "header-coroutine.h"

int useHeader() { return 0; }
