#define _GNU_SOURCE
#include <locale.h>
#include <wchar.h>
#include "CWidth.h"

static __thread locale_t utf8 = (locale_t)0;

int jt_wcwidth(unsigned int codepoint) {
    if (utf8 == (locale_t)0) {
        utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
        if (utf8 == (locale_t)0) utf8 = newlocale(LC_CTYPE_MASK, "en_US.UTF-8", (locale_t)0);
    }
    locale_t previous = utf8 ? uselocale(utf8) : (locale_t)0;
    int w = wcwidth((wchar_t)codepoint);
    if (previous) uselocale(previous);
    return w;
}
