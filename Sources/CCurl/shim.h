#include <curl/curl.h>
#include <dlfcn.h>
#include <stddef.h>

/* libcurl is loaded on first use (dlopen) instead of linked: its ~35 dependent libraries (TLS, GSSAPI,
   LDAP, SSH, ...) would otherwise be loaded and relocated at every start of clan-installer, which costs
   more than probing a machine. Only fetching a profile by URL needs it. */
struct clan_curl {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    void (*easy_cleanup)(CURL *);
    const char *(*easy_strerror)(CURLcode);
};

/* Fills `api` and returns 1, or returns 0 when libcurl is not installed. */
static inline int clan_curl_load(struct clan_curl *api) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) return 0;
    api->global_init = (CURLcode (*)(long))dlsym(library, "curl_global_init");
    api->easy_init = (CURL *(*)(void))dlsym(library, "curl_easy_init");
    api->easy_setopt = (CURLcode (*)(CURL *, CURLoption, ...))dlsym(library, "curl_easy_setopt");
    api->easy_perform = (CURLcode (*)(CURL *))dlsym(library, "curl_easy_perform");
    api->easy_getinfo = (CURLcode (*)(CURL *, CURLINFO, ...))dlsym(library, "curl_easy_getinfo");
    api->easy_cleanup = (void (*)(CURL *))dlsym(library, "curl_easy_cleanup");
    api->easy_strerror = (const char *(*)(CURLcode))dlsym(library, "curl_easy_strerror");
    return api->global_init && api->easy_init && api->easy_setopt && api->easy_perform
        && api->easy_getinfo && api->easy_cleanup && api->easy_strerror;
}

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: one typed wrapper each. */
static inline CURLcode clan_curl_setopt_long(const struct clan_curl *api, CURL *c, CURLoption o, long v) { return api->easy_setopt(c, o, v); }
static inline CURLcode clan_curl_setopt_string(const struct clan_curl *api, CURL *c, CURLoption o, const char *v) { return api->easy_setopt(c, o, v); }
static inline CURLcode clan_curl_setopt_pointer(const struct clan_curl *api, CURL *c, CURLoption o, void *v) { return api->easy_setopt(c, o, v); }
static inline CURLcode clan_curl_setopt_write_function(const struct clan_curl *api, CURL *c, size_t (*f)(char *, size_t, size_t, void *)) {
    return api->easy_setopt(c, CURLOPT_WRITEFUNCTION, f);
}
static inline CURLcode clan_curl_getinfo_long(const struct clan_curl *api, CURL *c, CURLINFO i, long *v) { return api->easy_getinfo(c, i, v); }
