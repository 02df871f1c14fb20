/*
 * import_columns.c - the sheets and columns of a chengyu workbook or CSV
 * folder: one row per chengyu/1 key, with its Chinese headers and what the
 * template says of it.  The importer, the workbook writer and the template
 * all read this table, so a new key in the format is one new row here.
 */
#include "import_internal.h"

#include <string.h>
#include <strings.h>

#define NET CY_SHEET_BIT(CY_SHEET_NETWORK)
#define REG CY_SHEET_BIT(CY_SHEET_REGIONS)
#define CLU CY_SHEET_BIT(CY_SHEET_CLUSTERS)
#define PARK CY_SHEET_BIT(CY_SHEET_PARKS)
#define ENT CY_SHEET_BIT(CY_SHEET_ENTERPRISES)
#define LINK CY_SHEET_BIT(CY_SHEET_LINKS)
#define GROUPS (REG | CLU | PARK)

const cy_sheet_info cy_sheets[CY_SHEET_COUNT] = {
    {"network", "网络", 0, "网络名称、说明与附加信息（一行）",
     "the network's name, description and meta (one row)"},
    {"regions", "地区|区域", 0, "地区（省、市）", "regions (provinces, cities)"},
    {"clusters", "产业集群|集群", 0, "产业集群", "industrial clusters"},
    {"parks", "园区", 0, "产业园区、开发区、新区", "industrial parks, zones and new areas"},
    {"enterprises", "企业", 1, "企业：整车厂、零部件供应商、原材料、服务",
     "enterprises: makers of finished products, parts suppliers, materials, services"},
    {"links", "供应关系|链接", 1, "供应关系：一家供应方向一家采购方供应一种零部件",
     "links: one supplier delivering one part to one customer"},
};

const cy_column_info cy_columns[] = {
    {"id", CY_COL_WORD, GROUPS | ENT, GROUPS | ENT, "编号|代码",
     "唯一编号（地区、集群、园区、企业之间不得重复）",
     "unique identifier (unique across regions, clusters, parks and enterprises)", 18},
    {"name", CY_COL_TEXT, NET | GROUPS | ENT, 0, "名称",
     "名称（不填则用编号）", "display name (the id when empty)", 32},
    {"name_zh", CY_COL_TEXT, ENT, 0, "中文名称", "中文名称", "Chinese name", 20},
    {"inside", CY_COL_BOOLEAN, REG, 0, "成渝圈内|圈内",
     "是否在成渝地区双城经济圈内：是/否（不填为是）",
     "inside the Chengdu-Chongqing circle: true/false (是/否; empty: true)", 10},
    {"uscc", CY_COL_WORD, ENT, 0, "统一社会信用代码",
     "18位统一社会信用代码（GB 32100-2015，校验位会被检查）",
     "18-character unified social credit code (GB 32100-2015, check character verified)", 22},
    {"kind", CY_COL_KIND, ENT, ENT, "类型",
     "类型：oem 整车/整机厂，supplier 零部件供应商，material 原材料，service 服务（也可直接填中文）",
     "kind: oem (finished products), supplier (parts), material, service", 11},
    {"tier", CY_COL_INTEGER, ENT, 0, "层级",
     "层级：0 为最终产品，1 为一级供应商，依此类推（0 到 1000 的整数）",
     "tier: 0 finished products, 1 direct suppliers of tier 0, ... (integer 0 to 1000)", 7},
    {"sector", CY_COL_TEXT, CLU, 0, "行业|产业", "行业，例如 automotive、electronics",
     "sector, e.g. automotive, electronics", 16},
    {"region", CY_COL_WORD, CLU | PARK | ENT, 0, "地区|区域",
     "所在地区的编号（地区表中的编号）", "id of the region (from the regions sheet)", 14},
    {"park", CY_COL_WORD, ENT, 0, "园区", "所在园区的编号（园区表中的编号）",
     "id of the park (from the parks sheet)", 16},
    {"clusters", CY_COL_LIST, ENT, 0, "产业集群|集群",
     "所属产业集群的编号，多个用 ; 或 、 分隔", "ids of its clusters, separated by ; or 、", 18},
    {"demonstration", CY_COL_BOOLEAN, PARK, 0, "示范园区|示范",
     "是否为川渝合作示范园区：是/否（true/false）",
     "a Sichuan-Chongqing cooperation demonstration park: true/false (是/否)", 14},
    {"output_value", CY_COL_NUMBER, ENT, 0, "产值", "年产值（元）",
     "output value (yuan per year)", 18},
    {"final_demand", CY_COL_NUMBER, ENT, 0, "最终需求|最终销售",
     "年最终需求：卖给网络之外客户的金额（元）；不填则为产值减去供应给网络内企业的金额",
     "final demand: sales to customers outside the network (yuan per year); empty: output "
     "value minus its links' volumes", 18},
    {"capacity", CY_COL_NUMBER, ENT, 0, "产能",
     "年产能（元，不低于产值）", "capacity (yuan per year, at least its output)", 18},
    {"inventory_days", CY_COL_NUMBER, ENT, 0, "库存天数",
     "所需零部件的库存可用天数（0 或以上）", "days of normal use of each input part it holds (0 or more)", 10},
    {"recovery_days", CY_COL_NUMBER, ENT, 0, "恢复天数",
     "停产后恢复所需天数（大于 0）", "days it takes to recover after a disruption (more than 0)", 10},
    {"produces", CY_COL_LIST, ENT, 0, "产品",
     "生产的零部件或产品，多个用 ; 或 、 分隔", "parts or products it makes, separated by ; or 、", 24},
    {"requires", CY_COL_LIST, ENT, 0, "需求|所需零部件",
     "生产所需的零部件（物料清单），多个用 ; 或 、 分隔；不填则由供应关系推出，[] 表示不需要任何零部件",
     "parts it needs (bill of materials), separated by ; or 、; empty: taken from its links; [] for none", 28},
    {"longitude", CY_COL_LONGITUDE, PARK | ENT, 0, "经度", "经度（-180 到 180）",
     "longitude (-180 to 180)", 11},
    {"latitude", CY_COL_LATITUDE, PARK | ENT, 0, "纬度", "纬度（-90 到 90）",
     "latitude (-90 to 90)", 11},
    {"from", CY_COL_WORD, LINK, LINK, "供应方|供应商", "供应方企业的编号",
     "id of the supplier", 18},
    {"to", CY_COL_WORD, LINK, LINK, "采购方|客户", "采购方企业的编号",
     "id of the customer", 18},
    {"part", CY_COL_WORD, LINK, LINK, "零部件|零件", "供应的零部件",
     "the part delivered", 20},
    {"volume", CY_COL_NUMBER, LINK, 0, "金额|采购金额", "年供应金额（元）",
     "volume (yuan per year)", 18},
    {"share", CY_COL_SHARE, LINK, 0, "份额|占比",
     "占采购方该零部件需求的份额，0 到 1（或百分数）",
     "share of the customer's need for the part, in (0, 1] (or a percentage)", 9},
    {"description", CY_COL_TEXT, NET, 0, "描述|说明", "说明", "description", 60},
    {"currency", CY_COL_WORD, NET, 0, "币种|货币",
     "金额的币种（ISO 4217 代码，不填为 CNY）", "currency of every amount (ISO 4217 code; empty: CNY)", 10},
    {"source", CY_COL_TEXT, GROUPS | ENT | LINK, 0, "来源",
     "数据来源（文件名、网址或 illustrative）",
     "where the record comes from (a document, a URL, or illustrative)", 24},
    /* Nearly every analyst's list has a notes column: it is kept here. */
    {"meta", CY_COL_JSON, NET | GROUPS | ENT | LINK, 0, "元数据|备注|注释|notes|note|remarks|comments",
     "附加信息（JSON，或任意文字），chengyu 保留但不解读",
     "anything else (JSON, or any text): kept and ignored", 24},
};

const size_t cy_column_count = sizeof cy_columns / sizeof cy_columns[0];
_Static_assert(sizeof cy_columns / sizeof cy_columns[0] <= CY_COLUMN_MAX,
               "CY_COLUMN_MAX holds every column");

/* Does `name` equal one of the '|'-separated `aliases` or (ASCII case
 * ignored) `key`? */
static int names_match(const char *key, const char *aliases, const char *name,
                       size_t length);
static void trim(const char **s, size_t *length);

int cy_i_header_is(const char *key, const char *aliases, const char *header,
                   size_t length)
{
    trim(&header, &length);
    return names_match(key, aliases, header, length);
}

static int names_match(const char *key, const char *aliases, const char *name,
                       size_t length)
{
    const char *a = aliases;
    if (strlen(key) == length && strncasecmp(key, name, length) == 0)
        return 1;
    while (a && *a) {
        const char *bar = strchr(a, '|');
        size_t n = bar ? (size_t)(bar - a) : strlen(a);
        /* strncasecmp folds only ASCII letters: Chinese is compared as is. */
        if (n == length && strncasecmp(a, name, n) == 0)
            return 1;
        a = bar ? bar + 1 : NULL;
    }
    return 0;
}

/* Surrounding ASCII spaces and U+3000 (the ideographic space) removed. */
static void trim(const char **s, size_t *length)
{
    const char *p = *s, *end = *s + *length;
    for (;;) {
        if (p < end && (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n'))
            p++;
        else if (end - p >= 3 && memcmp(p, "\xe3\x80\x80", 3) == 0)
            p += 3;
        else
            break;
    }
    for (;;) {
        if (end > p && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
                        end[-1] == '\n'))
            end--;
        else if (end - p >= 3 && memcmp(end - 3, "\xe3\x80\x80", 3) == 0)
            end -= 3;
        else
            break;
    }
    *s = p;
    *length = (size_t)(end - p);
}

/* Chinese names of the kinds, as a park committee's list writes them. */
static const char *const KIND_ALIASES[][2] = {
    {"整车厂", "oem"}, {"主机厂", "oem"}, {"整机厂", "oem"}, {"整车", "oem"},
    {"供应商", "supplier"}, {"零部件供应商", "supplier"}, {"零部件", "supplier"},
    {"原材料", "material"}, {"材料", "material"},
    {"服务", "service"}, {"服务商", "service"}};

const char *cy_i_kind_alias(const char *text, size_t length)
{
    for (size_t k = 0; k < sizeof KIND_ALIASES / sizeof *KIND_ALIASES; k++)
        if (strlen(KIND_ALIASES[k][0]) == length && memcmp(KIND_ALIASES[k][0], text, length) == 0)
            return KIND_ALIASES[k][1];
    return NULL;
}

long cy_i_column_find(const char *header, size_t length)
{
    trim(&header, &length);
    for (size_t k = 0; k < cy_column_count; k++)
        if (names_match(cy_columns[k].key, cy_columns[k].aliases, header, length))
            return (long)k;
    return -1;
}

int cy_i_sheet_find(const char *name)
{
    size_t length = strlen(name);
    trim(&name, &length);
    for (int s = 0; s < CY_SHEET_COUNT; s++)
        if (names_match(cy_sheets[s].name, cy_sheets[s].aliases, name, length))
            return s;
    return -1;
}
