// A Taskstream event subscriber behind its own Dapr sidecar, in Go (net/http and
// github.com/santhosh-tekuri/jsonschema/v6). It follows the consumer's contract
// (docs/events.md): programmatic subscription to the four task topics with the dead-letter
// topic, the dapr-api-token check, schema validation with formats, de-duplication on the
// event id, per-task sequence order, and the SUCCESS/RETRY/DROP answers.
//
// Run: APP_PORT=8001 go run .   (see README.md for its sidecar)
package main

import (
	"crypto/subtle"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
)

// Topics are the task topics this subscriber takes.
var Topics = []string{"task.created", "task.updated", "task.deleted", "task.completed"}

// DeadLetterTopic is where the sidecar sends what the subscriber drops.
const DeadLetterTopic = "task.deadletter"

// Subscription is one entry of GET /dapr/subscribe.
type Subscription struct {
	PubsubName      string            `json:"pubsubname"`
	Topic           string            `json:"topic"`
	Routes          map[string]string `json:"routes"`
	DeadLetterTopic string            `json:"deadLetterTopic"`
}

// NewHandler serves the sidecar (/dapr/subscribe, /events/<topic>), GET /received and
// GET /healthz. With appAPIToken set, every call but /healthz needs it in dapr-api-token.
func NewHandler(events *TaskEvents, pubsub, appAPIToken string) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "UP"})
	})
	mux.HandleFunc("GET /dapr/subscribe", func(w http.ResponseWriter, r *http.Request) {
		subscriptions := make([]Subscription, 0, len(Topics))
		for _, topic := range Topics {
			subscriptions = append(subscriptions, Subscription{PubsubName: pubsub, Topic: topic,
				Routes: map[string]string{"default": "/events/" + topic}, DeadLetterTopic: DeadLetterTopic})
		}
		writeJSON(w, http.StatusOK, subscriptions)
	})
	for _, topic := range Topics {
		mux.HandleFunc("POST /events/"+topic, func(w http.ResponseWriter, r *http.Request) {
			body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
			if err != nil {
				writeJSON(w, http.StatusOK, map[string]string{"status": Retry})
				return
			}
			writeJSON(w, http.StatusOK, map[string]string{"status": events.Handle(body)})
		})
	}
	mux.HandleFunc("GET /received", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, events.Snapshot())
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// daprd sends APP_API_TOKEN on every call when it is set; anyone else lacks it
		if appAPIToken != "" && r.URL.Path != "/healthz" &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get("dapr-api-token")), []byte(appAPIToken)) != 1 {
			writeJSON(w, http.StatusUnauthorized, map[string]string{"error": "dapr-api-token missing or wrong"})
			return
		}
		mux.ServeHTTP(w, r) // an unknown route is 404, which Dapr treats as DROP
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func env(name, fallback string) string {
	if value := os.Getenv(name); value != "" {
		return value
	}
	return fallback
}

func main() {
	schema, err := LoadSchema(env("TASK_EVENT_SCHEMA", "../../src/main/resources/schemas/task-event.v1.schema.json"))
	if err != nil {
		log.Fatalf("cannot load the task event schema: %v", err)
	}
	events := NewTaskEvents(schema, func(e Event) error {
		log.Printf("applied %s of task %d (sequence %d)", e.EventType, e.TaskID, e.Sequence)
		return nil
	})
	address := "127.0.0.1:" + env("APP_PORT", "8001")
	handler := NewHandler(events, env("PUBSUB_NAME", "taskstream-pubsub"), os.Getenv("APP_API_TOKEN"))
	log.Printf("go-subscriber listening on %s", address)
	if err := http.ListenAndServe(address, handler); err != nil && !strings.Contains(err.Error(), "closed") {
		log.Fatal(err)
	}
}
