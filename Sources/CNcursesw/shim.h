#ifndef JUDGETOP_NCURSES_SHIM_H
#define JUDGETOP_NCURSES_SHIM_H
/* SwiftPM drops pkg-config's -D_XOPEN_SOURCE, so the wide-character API is switched on here. */
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>
#include <ncursesw/curses.h>

/* Swift cannot import function-like macros, and rejects these globals in Swift 6 mode. */
static inline WINDOW *jt_stdscr(void) { return stdscr; }
static inline int jt_colors(void) { return COLORS; }
static inline int jt_color_pairs(void) { return COLOR_PAIRS; }
static inline void jt_size(int *rows, int *cols) { int y, x; getmaxyx(stdscr, y, x); *rows = y; *cols = x; }
static inline attr_t jt_a_normal(void) { return A_NORMAL; }
static inline attr_t jt_a_bold(void) { return A_BOLD; }
static inline attr_t jt_a_dim(void) { return A_DIM; }
static inline attr_t jt_a_reverse(void) { return A_REVERSE; }
static inline attr_t jt_a_underline(void) { return A_UNDERLINE; }
/* One cell: a NUL-terminated wide string (base + combining marks), attributes, and a colour pair that
   may exceed 255 (passed through opts; COLOR_PAIR() would truncate it). */
static inline int jt_put(int y, int x, const wchar_t *wcs, attr_t attrs, int pair) {
    cchar_t cell;
    if (setcchar(&cell, wcs, attrs, (short)0, &pair) != OK) return ERR;
    return mvwadd_wch(stdscr, y, x, &cell);
}
/* The mouse: clicks and the wheel (buttons 4 and 5), or nothing, so that the terminal's own
   selection works again. */
static inline void jt_mouse(int on) {
    mousemask(on ? (BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED) : 0, NULL);
    mouseinterval(0);
}
static inline int jt_key_mouse(void) { return KEY_MOUSE; }
/* The last mouse event: 1 wheel up, 2 wheel down, 3 a click at (x, y); 0 anything else. */
static inline int jt_read_mouse(int *x, int *y) {
    MEVENT event;
    if (getmouse(&event) != OK) return 0;
    *x = event.x; *y = event.y;
    if (event.bstate & BUTTON4_PRESSED) return 1;
    if (event.bstate & BUTTON5_PRESSED) return 2;
    if (event.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)) return 3;
    return 0;
}
static inline int jt_is_utf8(void) { const char *c = nl_langinfo(CODESET); return c && (c[0] == 'U' || c[0] == 'u'); }
#endif
