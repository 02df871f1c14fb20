/*
 * test_lang.c - the language of the output for people (src/core/lang.c)
 * and money in every language and currency (cy_r_money, cy_r_amount):
 * the Chinese units 万, 亿 and 万亿 at every boundary, the currency's
 * symbol or word, English left exactly as it was, the language the
 * environment asks for, the catalog found (or not) and its messages.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "writer.h"

#define YUAN "\xC2\xA5"

static const char *money(double value, const char *currency, cy_language lang)
{
    static char text[32];
    return cy_r_money(value, currency, lang, text, sizeof text);
}

static const char *zh(double value) { return money(value, "CNY", CY_LANG_ZH); }

/* The build tree's catalogs (ctest sets CHENGYU_LOCALEDIR too; a run by
 * hand finds them here). */
static void use_build_catalog(void)
{
    assert_int_equal(setenv("CHENGYU_LOCALEDIR", CY_BINARY_DIR "/locale", 1), 0);
}

/* ---- money ---------------------------------------------------------------- */

static void test_money_chinese_units(void **state)
{
    (void)state;
    assert_string_equal(zh(0), "0元");
    assert_string_equal(zh(0.004), "0元");
    assert_string_equal(zh(-0.004), "0元");
    assert_string_equal(zh(0.5), "0.5元");
    assert_string_equal(zh(950), "950元");
    assert_string_equal(zh(9999.4), "9999元");
    assert_string_equal(zh(9999.6), "1万元");        /* rounds up a unit */
    assert_string_equal(zh(12345), "1.23万元");
    assert_string_equal(zh(123456), "12.3万元");
    assert_string_equal(zh(1234567), "123万元");
    assert_string_equal(zh(12345678), "1235万元");   /* four digits, not 1.23e+03 */
    assert_string_equal(zh(99994999), "9999万元");
    assert_string_equal(zh(99996000), "1亿元");      /* 1 亿 = 10^8 */
    assert_string_equal(zh(3.2e8), "3.2亿元");
    assert_string_equal(zh(4.723e11), "4723亿元");
    assert_string_equal(zh(9999.6e8), "1万亿元");
    assert_string_equal(zh(1.1e12), "1.1万亿元");
    assert_string_equal(zh(2.04e15), "2040万亿元");
    assert_string_equal(zh(-3.5e9), "-35亿元");
    /* Past a million 万亿 in exponent form, never cut digits. */
    assert_string_equal(zh(999999e12), "999999万亿元");
    assert_string_equal(zh(1.6e308), "1.6e+308元");
    for (double v = 1e-3; v < 1e18; v *= 1.37) {
        const char *text = zh(v);
        assert_null(strchr(text, 'e'));
        assert_true(strlen(text) < 24);
    }
}

static void test_money_english_unchanged(void **state)
{
    char a[32], b[32];
    (void)state;
    /* cy_r_format_amount is CNY in English; test_writer.c checks its
     * values; here every amount is the same through cy_r_money. */
    for (double v = 1e-3; v < 1e18; v *= 1.37) {
        for (int sign = -1; sign <= 1; sign += 2) {
            cy_r_format_amount(sign * v, a, sizeof a);
            assert_string_equal(cy_r_money(sign * v, "CNY", CY_LANG_EN, b, sizeof b), a);
        }
    }
    assert_string_equal(money(3.5e6, "CNY", CY_LANG_EN), YUAN "3.5 m");
    assert_string_equal(money(NAN, "CNY", CY_LANG_EN), "n/a");
}

static void test_money_currencies(void **state)
{
    (void)state;
    assert_string_equal(money(4.5e6, "USD", CY_LANG_EN), "US$4.5 m");
    assert_string_equal(money(4.5e6, "USD", CY_LANG_ZH), "450万美元");
    assert_string_equal(money(2e9, "EUR", CY_LANG_EN), "\xE2\x82\xAC" "2 bn");
    assert_string_equal(money(2e9, "EUR", CY_LANG_ZH), "20亿欧元");
    assert_string_equal(money(1.2e4, "HKD", CY_LANG_ZH), "1.2万港元");
    assert_string_equal(money(-7e3, "GBP", CY_LANG_EN), "-\xC2\xA3" "7 k");
    assert_string_equal(money(3e8, "JPY", CY_LANG_EN), "JP" YUAN "300 m");
    /* A code without a symbol or a word here is written as the code. */
    assert_string_equal(money(4.5e6, "KRW", CY_LANG_EN), "KRW 4.5 m");
    assert_string_equal(money(4.5e6, "KRW", CY_LANG_ZH), "450万 KRW");
    assert_string_equal(money(0, "KRW", CY_LANG_EN), "KRW 0");
    /* NULL is CNY. */
    assert_string_equal(money(950, NULL, CY_LANG_ZH), "950元");
}

/* cy_r_amount: the network's currency and the language set. */
static void test_amount_follows_network(void **state)
{
    static const char doc[] =
        "{\"format\": \"chengyu/1\", \"name\": \"t\", \"currency\": \"USD\","
        " \"enterprises\": [{\"id\": \"a\", \"kind\": \"oem\"}], \"links\": []}";
    cy_network *net = NULL;
    cy_error err;
    char text[32];
    (void)state;
    cy_error_init(&err);
    assert_int_equal(cy_network_load_buffer(doc, sizeof doc - 1, "t.json", &net, &err), CY_OK);
    assert_int_equal(cy_language_set(CY_LANG_EN, &err), CY_OK);
    assert_string_equal(cy_r_amount(net, 2.5e7, text, sizeof text), "US$25 m");
    assert_string_equal(cy_r_amount(NULL, 2.5e7, text, sizeof text), YUAN "25 m");
    use_build_catalog();
    assert_int_equal(cy_language_set(CY_LANG_ZH, &err), CY_OK);
    assert_string_equal(cy_r_amount(net, 2.5e7, text, sizeof text), "2500万美元");
    assert_string_equal(cy_r_amount(NULL, 2.5e8, text, sizeof text), "2.5亿元");
    assert_int_equal(cy_language_set(CY_LANG_EN, &err), CY_OK);
    cy_network_free(net);
    cy_error_destroy(&err);
}

/* ---- the language --------------------------------------------------------- */

static void set_locale_env(const char *all, const char *messages, const char *lang)
{
    const char *names[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *values[] = {all, messages, lang};
    for (int k = 0; k < 3; k++) {
        if (values[k])
            assert_int_equal(setenv(names[k], values[k], 1), 0);
        else
            assert_int_equal(unsetenv(names[k]), 0);
    }
}

static void test_language_from_environment(void **state)
{
    (void)state;
    set_locale_env(NULL, NULL, NULL);
    assert_int_equal(cy_language_from_environment(), CY_LANG_EN);
    set_locale_env(NULL, NULL, "zh_CN.UTF-8");
    assert_int_equal(cy_language_from_environment(), CY_LANG_ZH);
    set_locale_env(NULL, NULL, "zh_TW");
    assert_int_equal(cy_language_from_environment(), CY_LANG_ZH);
    set_locale_env(NULL, "en_GB.UTF-8", "zh_CN.UTF-8");  /* LC_MESSAGES first */
    assert_int_equal(cy_language_from_environment(), CY_LANG_EN);
    set_locale_env("zh_CN.GB18030", "en_GB.UTF-8", NULL); /* LC_ALL first */
    assert_int_equal(cy_language_from_environment(), CY_LANG_ZH);
    set_locale_env("", "", "zh_SG");                      /* empty: not set */
    assert_int_equal(cy_language_from_environment(), CY_LANG_ZH);
    set_locale_env("C", NULL, "zh_CN.UTF-8");
    assert_int_equal(cy_language_from_environment(), CY_LANG_EN);
    set_locale_env(NULL, NULL, "zu_ZA");                   /* not "zh" */
    assert_int_equal(cy_language_from_environment(), CY_LANG_EN);
    set_locale_env(NULL, NULL, NULL);
    assert_string_equal(cy_language_name(CY_LANG_ZH), "zh");
    assert_string_equal(cy_language_name(CY_LANG_EN), "en");
    assert_string_equal(cy_language_name((cy_language)7), "unknown");
}

/* Chinese without a zh_CN locale on the system, in the "C" locale a test
 * runner has (LANG unset): the catalog is still selected. */
static void test_chinese_catalog(void **state)
{
    cy_error err;
    (void)state;
    set_locale_env(NULL, NULL, NULL);
    cy_error_init(&err);
    use_build_catalog();
    assert_int_equal(cy_language_get(), CY_LANG_EN);
    assert_string_equal(cy_tr("Summary"), "Summary");
    assert_int_equal(cy_language_set(CY_LANG_ZH, &err), CY_OK);
    assert_int_equal(cy_language_get(), CY_LANG_ZH);
    assert_string_equal(cy_tr("Summary"), "概要");
    assert_string_equal(cy_tr("Risk register: the firms to secure first"),
                        "风险清单：应优先保障的企业");
    assert_string_equal(cy_tr("no such message"), "no such message");
    assert_string_equal(cy_tr(""), "");
    assert_string_equal(cy_ntr("sole supplier of %zu pair", "sole supplier of %zu pairs", 3),
                        "%zu 对的唯一供应商");
    /* Back to English: the sources' text, plural by n. */
    assert_int_equal(cy_language_set(CY_LANG_EN, &err), CY_OK);
    assert_string_equal(cy_tr("Summary"), "Summary");
    assert_string_equal(cy_ntr("one", "many", 1), "one");
    assert_string_equal(cy_ntr("one", "many", 0), "many");
    assert_int_equal(err.count, 0);
    cy_error_destroy(&err);
}

static void test_missing_catalog(void **state)
{
    cy_error err;
    (void)state;
    cy_error_init(&err);
    assert_int_equal(setenv("CHENGYU_LOCALEDIR", "/nonexistent/chengyu-locale", 1), 0);
    assert_int_equal(cy_language_set(CY_LANG_ZH, &err), CY_EIO);
    assert_int_equal(cy_language_get(), CY_LANG_EN);   /* left as it was */
    assert_int_equal(err.count, 1);
    assert_non_null(strstr(err.items[0].message, "chengyu.mo"));
    assert_int_equal(cy_language_set((cy_language)9, &err), CY_EUSAGE);
    assert_int_equal(cy_language_get(), CY_LANG_EN);
    use_build_catalog();
    cy_error_destroy(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_money_chinese_units),
        cmocka_unit_test(test_money_english_unchanged),
        cmocka_unit_test(test_money_currencies),
        cmocka_unit_test(test_amount_follows_network),
        cmocka_unit_test(test_language_from_environment),
        cmocka_unit_test(test_chinese_catalog),
        cmocka_unit_test(test_missing_catalog),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
