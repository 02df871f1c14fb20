/*
 * buf.c - a growing string, for text built before it is written (a DOT
 * label, a CSV cell joined from a list, a diagram's tooltip).
 */
#include "writer.h"

#include <stdarg.h>
#include <string.h>

void cy_r_buf_init(cy_r_buf *buf)
{
    memset(buf, 0, sizeof *buf);
}

void cy_r_buf_free(cy_r_buf *buf)
{
    cy_free(buf->data);
    memset(buf, 0, sizeof *buf);
}

/* Make room for `extra` more bytes plus the terminating NUL. */
static int buf_reserve(cy_r_buf *buf, size_t extra)
{
    if (buf->oom)
        return 0;
    if (extra > SIZE_MAX - buf->len - 1 ||
        !cy_i_grow((void **)&buf->data, &buf->cap, buf->len + extra + 1, 1)) {
        buf->oom = 1;
        return 0;
    }
    return 1;
}

void cy_r_buf_putn(cy_r_buf *buf, const char *s, size_t n)
{
    if (!buf_reserve(buf, n))
        return;
    memcpy(buf->data + buf->len, s, n);
    buf->len += n;
    buf->data[buf->len] = '\0';
}

void cy_r_buf_puts(cy_r_buf *buf, const char *s)
{
    cy_r_buf_putn(buf, s, strlen(s));
}

void cy_r_buf_printf(cy_r_buf *buf, const char *fmt, ...)
{
    va_list ap;
    int need;
    va_start(ap, fmt);
    need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) {
        buf->oom = 1;
        return;
    }
    if (!buf_reserve(buf, (size_t)need))
        return;
    va_start(ap, fmt);
    vsnprintf(buf->data + buf->len, (size_t)need + 1, fmt, ap);
    va_end(ap);
    buf->len += (size_t)need;
}

const char *cy_r_buf_str(cy_r_buf *buf)
{
    if (buf->oom)
        return NULL;
    if (!buf->data && !buf_reserve(buf, 0))
        return NULL;
    buf->data[buf->len] = '\0';
    return buf->data;
}

char *cy_r_buf_take(cy_r_buf *buf)
{
    char *s;
    if (!cy_r_buf_str(buf)) {
        cy_r_buf_free(buf);
        return NULL;
    }
    s = buf->data;
    memset(buf, 0, sizeof *buf);
    return s;
}

void cy_r_buf_list_item(cy_r_buf *buf, const char *s, int first)
{
    if (!first)
        cy_r_buf_putn(buf, ";", 1);
    for (; *s; s++) {
        if (*s == ';' || *s == '\\')
            cy_r_buf_putn(buf, "\\", 1);
        cy_r_buf_putn(buf, s, 1);
    }
}

void cy_r_buf_ids(cy_r_buf *buf, const cy_network *net, const size_t *ids, size_t count)
{
    for (size_t k = 0; k < count; k++)
        cy_r_buf_list_item(buf, cy_enterprise_id(net, ids[k]), k == 0);
}
