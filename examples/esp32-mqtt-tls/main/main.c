/* Example firmware (ESP32, ESP-IDF v5): connects to an MQTT broker over TLS, authenticating with the
 * device certificate in certs/, and publishes a hello message. The certificates are embedded at build
 * time from certs/ (see CMakeLists.txt); `npm start` creates a development PKI there with `etls pki init`. */
#include <stdint.h>
#include <stdio.h>

#include "esp_event.h"
#include "esp_log.h"
#include "mqtt_client.h"
#include "nvs_flash.h"
#include "protocol_examples_common.h"

static const char *TAG = "mqtt_tls";

/* The broker's address as the board sees it: your computer's LAN address when Mosquitto runs there.
 * The broker certificate must name exactly this host (SAN), or verification fails on the board. */
#define BROKER_URI "mqtts://localhost:8883"
#define CLIENT_ID "esp32-devkit"

extern const uint8_t ca_pem_start[] asm("_binary_ca_pem_start");
extern const uint8_t device_pem_start[] asm("_binary_esp32_devkit_pem_start");
extern const uint8_t device_key_start[] asm("_binary_esp32_devkit_key_start");

static void on_mqtt_event(void *arg, esp_event_base_t base, int32_t id, void *data)
{
    esp_mqtt_event_handle_t event = data;
    switch ((esp_mqtt_event_id_t)id) {
    case MQTT_EVENT_CONNECTED:
        ESP_LOGI(TAG, "connected to %s", BROKER_URI);
        esp_mqtt_client_publish(event->client, "devices/" CLIENT_ID "/hello", "hello over TLS", 0, 1, 0);
        break;
    case MQTT_EVENT_ERROR:
        if (event->error_handle->error_type == MQTT_ERROR_TYPE_TCP_TRANSPORT) {
            ESP_LOGE(TAG, "TLS error 0x%x (mbedTLS), certificate verify flags 0x%x",
                     event->error_handle->esp_tls_last_esp_err,
                     event->error_handle->esp_tls_cert_verify_flags);
        }
        break;
    default:
        break;
    }
}

void app_main(void)
{
    ESP_ERROR_CHECK(nvs_flash_init());
    ESP_ERROR_CHECK(esp_event_loop_create_default());
    ESP_ERROR_CHECK(example_connect()); /* Wi-Fi credentials from menuconfig */

    const esp_mqtt_client_config_t config = {
        .broker.address.uri = BROKER_URI,
        .broker.verification.certificate = (const char *)ca_pem_start,
        .credentials.client_id = CLIENT_ID,
        .credentials.authentication.certificate = (const char *)device_pem_start,
        .credentials.authentication.key = (const char *)device_key_start,
    };
    esp_mqtt_client_handle_t client = esp_mqtt_client_init(&config);
    esp_mqtt_client_register_event(client, ESP_EVENT_ANY_ID, on_mqtt_event, NULL);
    esp_mqtt_client_start(client);
}
