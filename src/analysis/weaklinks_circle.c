/*
 * weaklinks_circle.c - on which side of the Chengdu-Chongqing economic
 * circle a region lies, by its id or name (cy_circle_zone_of).  Whether it
 * lies in the circle at all is the region's `inside` field (the loader's);
 * the rule is documented in docs/analyses.md ("The Chengdu-Chongqing
 * circle").
 */
#include "weaklinks_internal.h"

#include <string.h>

/*
 * The places of the Chengdu-Chongqing economic circle as defined by the
 * 2021 plan (成渝地区双城经济圈建设规划纲要): 27 districts and counties of
 * Chongqing plus parts of Kaizhou and Yunyang, and 15 cities of Sichuan.
 * A region whose id or name is one of these names (or starts with it
 * followed by '-') is on that place's side.  "sichuan" stands for a region
 * that covers Sichuan without naming a city; it is counted inside because
 * 15 of Sichuan's 21 prefecture-level divisions, and nearly all of its
 * manufacturing, are in the circle (documented as an approximation).
 */
typedef struct {
    const char *latin;
    const char *zh;
    cy_circle_zone zone;
} circle_place;

static const circle_place circle_places[] = {
    {"chongqing", "重庆", CY_CIRCLE_CHONGQING},
    {"liangjiang", "两江", CY_CIRCLE_CHONGQING},
    {"yuzhong", "渝中", CY_CIRCLE_CHONGQING},
    {"dadukou", "大渡口", CY_CIRCLE_CHONGQING},
    {"jiangbei", "江北", CY_CIRCLE_CHONGQING},
    {"shapingba", "沙坪坝", CY_CIRCLE_CHONGQING},
    {"jiulongpo", "九龙坡", CY_CIRCLE_CHONGQING},
    {"nanan", "南岸", CY_CIRCLE_CHONGQING},
    {"beibei", "北碚", CY_CIRCLE_CHONGQING},
    {"yubei", "渝北", CY_CIRCLE_CHONGQING},
    {"banan", "巴南", CY_CIRCLE_CHONGQING},
    {"wanzhou", "万州", CY_CIRCLE_CHONGQING},
    {"fuling", "涪陵", CY_CIRCLE_CHONGQING},
    {"qijiang", "綦江", CY_CIRCLE_CHONGQING},
    {"dazu", "大足", CY_CIRCLE_CHONGQING},
    {"qianjiang", "黔江", CY_CIRCLE_CHONGQING},
    {"changshou", "长寿", CY_CIRCLE_CHONGQING},
    {"jiangjin", "江津", CY_CIRCLE_CHONGQING},
    {"hechuan", "合川", CY_CIRCLE_CHONGQING},
    {"yongchuan", "永川", CY_CIRCLE_CHONGQING},
    {"nanchuan", "南川", CY_CIRCLE_CHONGQING},
    {"bishan", "璧山", CY_CIRCLE_CHONGQING},
    {"tongliang", "铜梁", CY_CIRCLE_CHONGQING},
    {"tongnan", "潼南", CY_CIRCLE_CHONGQING},
    {"rongchang", "荣昌", CY_CIRCLE_CHONGQING},
    {"liangping", "梁平", CY_CIRCLE_CHONGQING},
    {"fengdu", "丰都", CY_CIRCLE_CHONGQING},
    {"dianjiang", "垫江", CY_CIRCLE_CHONGQING},
    {"zhongxian", "忠县", CY_CIRCLE_CHONGQING},
    {"kaizhou", "开州", CY_CIRCLE_CHONGQING},
    {"yunyang", "云阳", CY_CIRCLE_CHONGQING},
    {"chengdu", "成都", CY_CIRCLE_CHENGDU},
    {"tianfu", "天府", CY_CIRCLE_CHENGDU},
    {"zigong", "自贡", CY_CIRCLE_SICHUAN},
    {"luzhou", "泸州", CY_CIRCLE_SICHUAN},
    {"deyang", "德阳", CY_CIRCLE_SICHUAN},
    {"mianyang", "绵阳", CY_CIRCLE_SICHUAN},
    {"suining", "遂宁", CY_CIRCLE_SICHUAN},
    {"neijiang", "内江", CY_CIRCLE_SICHUAN},
    {"leshan", "乐山", CY_CIRCLE_SICHUAN},
    {"nanchong", "南充", CY_CIRCLE_SICHUAN},
    {"meishan", "眉山", CY_CIRCLE_SICHUAN},
    {"yibin", "宜宾", CY_CIRCLE_SICHUAN},
    {"guangan", "广安", CY_CIRCLE_SICHUAN},
    {"dazhou", "达州", CY_CIRCLE_SICHUAN},
    {"yaan", "雅安", CY_CIRCLE_SICHUAN},
    {"ziyang", "资阳", CY_CIRCLE_SICHUAN},
    {"sichuan", "四川", CY_CIRCLE_SICHUAN},
};

#define CIRCLE_PLACE_COUNT (sizeof circle_places / sizeof circle_places[0])

/*
 * Compare a Latin id or name with a place name: ASCII letters are compared
 * case-insensitively, apostrophes (' and U+2019) are skipped, and ' ', '_'
 * and '.' count as '-'.  Matches when the text equals the place or
 * continues with '-' (a district or sub-area: "chengdu-tianfu").
 */
static int latin_place_matches(const char *text, const char *place)
{
    const unsigned char *t = (const unsigned char *)text;
    for (;;) {
        unsigned char c = *t;
        if (c == '\'') {
            t++;
            continue;
        }
        if (c == 0xE2 && t[1] == 0x80 && t[2] == 0x99) {
            t += 3;
            continue;
        }
        if (c == ' ' || c == '_' || c == '.')
            c = '-';
        else if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if (*place == '\0')
            return c == '\0' || c == '-';
        if (c != (unsigned char)*place)
            return 0;
        t++;
        place++;
    }
}

static cy_circle_zone zone_of_text(const char *text)
{
    if (!text)
        return CY_CIRCLE_OUTSIDE;
    for (size_t k = 0; k < CIRCLE_PLACE_COUNT; k++) {
        const char *zh = circle_places[k].zh;
        if (latin_place_matches(text, circle_places[k].latin) ||
            strncmp(text, zh, strlen(zh)) == 0)
            return circle_places[k].zone;
    }
    return CY_CIRCLE_OUTSIDE;
}

cy_circle_zone cy_circle_zone_of(const char *id, const char *name)
{
    cy_circle_zone zone = zone_of_text(id);
    return zone != CY_CIRCLE_OUTSIDE ? zone : zone_of_text(name);
}
