#include <sqlite3.h>
#include "CSQLiteSetup.h"

// sqlite3_config is variadic, which Swift cannot call.
// No memory statistics: nothing reads them, and Debian's SQLite (built without its lookaside
// allocator) took a global lock around every allocation to keep them: 7-10% of storing rows and
// answers (judgetop-bench).
// URI file names: a read-only store without its -shm file is opened as `file:…?immutable=1`.
int judgetop_sqlite_setup(void) {
    int code = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    if (code != SQLITE_OK) return code;
    return sqlite3_config(SQLITE_CONFIG_URI, 1);
}
