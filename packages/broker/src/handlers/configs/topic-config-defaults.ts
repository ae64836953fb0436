import type { BrokerServices } from "../../services.js";
import type { TopicConfigDefaults } from "./topic-config-view.js";

/** What topic configs fall back to on this broker, as of now. */
export function topicConfigDefaults(services: BrokerServices): TopicConfigDefaults {
  return {
    brokerConfigs: services.settings.brokerConfigs,
    brokerTopicDefaults: services.topics.brokerTopicDefaults(),
    creationDefaults: services.topics.withCreationDefaults({}),
  };
}
