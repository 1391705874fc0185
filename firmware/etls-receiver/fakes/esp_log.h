/* A small stand-in for ESP-IDF's <esp_log.h>, so the ESP-IDF backend compiles on the host. */
#ifndef FAKE_ESP_LOG_H
#define FAKE_ESP_LOG_H

#define ESP_LOGW(tag, ...) ((void)(tag))
#define ESP_LOGI(tag, ...) ((void)(tag))

#endif
