#ifndef JUDGETOP_TERM_SUPPORT_H
#define JUDGETOP_TERM_SUPPORT_H
/* On a crash, leave the alternate screen and raw mode before the backtrace prints, then chain to the
   previous handler (Swift's backtracer or the default). */
void jt_install_crash_restore(void);
/* Restore the terminal at exit too, whatever path the exit takes. */
void jt_install_exit_restore(void);
#endif
