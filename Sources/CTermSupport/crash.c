#include "CTermSupport.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

static struct sigaction previous[NSIG];
static volatile sig_atomic_t restored = 0;

static void restore_terminal(void) {
    if (!restored && !isendwin()) { restored = 1; endwin(); }
}

static void on_crash(int sig, siginfo_t *info, void *context) {
    (void)info; (void)context;
    restore_terminal();                        /* not async-signal-safe; the accepted trade-off on a crash path */
    sigaction(sig, &previous[sig], NULL);      /* chain: the fault re-runs, or the signal is raised again */
    if (sig == SIGABRT || sig == SIGTRAP) raise(sig);
}

void jt_install_crash_restore(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    action.sa_sigaction = on_crash;
    action.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&action.sa_mask);
    const int signals[] = { SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGFPE, SIGABRT };
    for (unsigned i = 0; i < sizeof signals / sizeof signals[0]; i++) sigaction(signals[i], &action, &previous[signals[i]]);
}

void jt_install_exit_restore(void) { atexit(restore_terminal); }
