#ifndef BEVAKA_CURL_SHIM_H
#define BEVAKA_CURL_SHIM_H

#include <curl/curl.h>

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot
   call; these typed wrappers are the only C Bevaka adds. */

typedef size_t (*bevaka_curl_data_callback)(char *data, size_t size, size_t count, void *context);

static inline CURLcode bevaka_curl_set_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_set_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_set_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_set_callback(CURL *handle, CURLoption option, bevaka_curl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_get_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/* SMTP upload: curl pulls the message through a read callback. */
typedef size_t (*bevaka_curl_read_callback)(char *buffer, size_t size, size_t count, void *context);

static inline CURLcode bevaka_curl_set_read_callback(CURL *handle, CURLoption option, bevaka_curl_read_callback value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_set_list(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

static inline CURLcode bevaka_curl_set_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

#endif
