#ifndef JUDGETOP_CWIDTH_H
#define JUDGETOP_CWIDTH_H
/* Columns a code point takes on a terminal, as libc's wcwidth counts them under a UTF-8 locale
   (what ncurses uses), whatever the process locale is: -1 for non-printable. */
int jt_wcwidth(unsigned int codepoint);
#endif
