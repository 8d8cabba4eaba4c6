#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Sets SQLite up for how judgetop uses it, before its first connection opens; returns SQLITE_OK,
/// or SQLITE_MISUSE when SQLite was already in use (then nothing changes).
int judgetop_sqlite_setup(void);

#endif
