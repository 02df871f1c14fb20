/*
 * lang.c - the language of the output for people: which one is set, the
 * environment's choice, and the GNU gettext catalog that gives the
 * Chinese text (po/zh_CN.po, compiled by CMake to chengyu.mo).
 */
#include "internal.h"

#include <libintl.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define CY_TEXT_DOMAIN "chengyu"

#ifndef CY_LOCALEDIR
#define CY_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef CY_BUILD_LOCALEDIR
#define CY_BUILD_LOCALEDIR CY_LOCALEDIR
#endif

static cy_language current = CY_LANG_EN;

cy_language cy_language_get(void) { return current; }

const char *cy_language_name(cy_language lang)
{
    switch (lang) {
    case CY_LANG_EN: return "en";
    case CY_LANG_ZH: return "zh";
    }
    return "unknown";
}

cy_language cy_language_from_environment(void)
{
    static const char *const names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        const char *value = getenv(names[k]);
        if (value && *value)
            return strncmp(value, "zh", 2) == 0 ? CY_LANG_ZH : CY_LANG_EN;
    }
    return CY_LANG_EN;
}

/* Whether `dir` holds the Chinese catalog. */
static int has_catalog(const char *dir)
{
    char path[4096];
    struct stat st;
    int n = snprintf(path, sizeof path, "%s/zh_CN/LC_MESSAGES/" CY_TEXT_DOMAIN ".mo", dir);
    return n > 0 && (size_t)n < sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* The catalog directory: the environment's, the installed one, or the
 * build tree's (so the command runs from the build tree); NULL if none
 * holds the catalog. */
static const char *catalog_dir(void)
{
    const char *dir = getenv("CHENGYU_LOCALEDIR");
    if (dir && *dir)
        return has_catalog(dir) ? dir : NULL;
    if (has_catalog(CY_LOCALEDIR))
        return CY_LOCALEDIR;
    return has_catalog(CY_BUILD_LOCALEDIR) ? CY_BUILD_LOCALEDIR : NULL;
}

/* Select zh_CN messages without needing a zh_CN locale on the system:
 * gettext takes LANGUAGE over the LC_MESSAGES locale unless that locale
 * is "C", and C.UTF-8 is built into glibc since 2.35. */
static int select_chinese_messages(void)
{
    if (!setlocale(LC_MESSAGES, "zh_CN.UTF-8") && !setlocale(LC_MESSAGES, "C.UTF-8"))
        return 0;
    return setenv("LANGUAGE", "zh_CN", 1) == 0;
}

cy_status cy_language_set(cy_language lang, cy_error *err)
{
    /* The header entry's msgid, translated only when the catalog loaded
     * (a variable, so that xgettext does not take it as a message). */
    static const char header[] = "";
    const char *dir;
    if (lang == CY_LANG_EN) {
        current = lang;
        return CY_OK;
    }
    if (lang != CY_LANG_ZH) {
        cy_error_add(err, CY_SEV_ERROR, NULL, "unknown language %d", (int)lang);
        return CY_EUSAGE;
    }
    if (!(dir = catalog_dir())) {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "the Chinese message catalog " CY_TEXT_DOMAIN ".mo is not in "
                     "$CHENGYU_LOCALEDIR, '%s' or '%s'", CY_LOCALEDIR, CY_BUILD_LOCALEDIR);
        return CY_EIO;
    }
    if (!bindtextdomain(CY_TEXT_DOMAIN, dir) ||
        !bind_textdomain_codeset(CY_TEXT_DOMAIN, "UTF-8") || !select_chinese_messages() ||
        *dgettext(CY_TEXT_DOMAIN, header) == '\0') {
        cy_error_add(err, CY_SEV_ERROR, NULL,
                     "the Chinese message catalog in '%s' could not be loaded", dir);
        return CY_EIO;
    }
    current = lang;
    return CY_OK;
}

const char *cy_tr(const char *s)
{
    return current == CY_LANG_ZH && *s ? dgettext(CY_TEXT_DOMAIN, s) : s;
}

const char *cy_ntr(const char *one, const char *many, unsigned long n)
{
    if (current == CY_LANG_ZH)
        return dngettext(CY_TEXT_DOMAIN, one, many, n);
    return n == 1 ? one : many;
}
