// ExploreProbe.java — an independent client (Kafka's own Java AdminClient and
// producer) for tests/kafka/test_explore.sh: creates topics with configs,
// prints a group's committed offsets and members, and produces records with
// chosen timestamps (kcat cannot).  Compiled by the test with javac.
//
//   java -cp DIR:libs/* ExploreProbe BOOTSTRAP create-topic NAME PARTITIONS RF [key=value...]
//   ... offsets GROUP          "topic partition offset" lines, sorted
//   ... members GROUP          "state S members N", then "member CLIENT_ID HOST" lines
//   ... produce-at TOPIC PARTITION TS_MS COUNT STEP_MS PREFIX
//                              COUNT records, values PREFIX-0..., timestamps TS_MS + i*STEP_MS
import java.util.*;
import org.apache.kafka.clients.admin.*;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

public class ExploreProbe {
	public static void main(String[] a) throws Exception {
		Properties p = new Properties();
		p.put("bootstrap.servers", a[0]);
		if (a[1].equals("produce-at")) {
			p.put("key.serializer", StringSerializer.class.getName());
			p.put("value.serializer", StringSerializer.class.getName());
			try (KafkaProducer<String, String> pr = new KafkaProducer<>(p)) {
				int part = Integer.parseInt(a[3]), n = Integer.parseInt(a[5]);
				long ts = Long.parseLong(a[4]), step = Long.parseLong(a[6]);
				for (int i = 0; i < n; i++)
					pr.send(new ProducerRecord<>(a[2], part, ts + i * step, null, a[7] + "-" + i)).get();
			}
			return;
		}
		try (Admin ad = Admin.create(p)) {
			switch (a[1]) {
			case "create-topic": {
				NewTopic t = new NewTopic(a[2], Integer.parseInt(a[3]), Short.parseShort(a[4]));
				Map<String, String> cfg = new HashMap<>();
				for (int i = 5; i < a.length; i++) {
					String[] kv = a[i].split("=", 2);
					cfg.put(kv[0], kv[1]);
				}
				ad.createTopics(List.of(t.configs(cfg))).all().get();
				break;
			}
			case "offsets": {
				Map<TopicPartition, OffsetAndMetadata> m =
					ad.listConsumerGroupOffsets(a[2]).partitionsToOffsetAndMetadata().get();
				List<String> out = new ArrayList<>();
				m.forEach((tp, om) -> out.add(tp.topic() + " " + tp.partition() + " " + (om == null ? -1 : om.offset())));
				Collections.sort(out);
				out.forEach(System.out::println);
				break;
			}
			case "members": {
				ConsumerGroupDescription d = ad.describeConsumerGroups(List.of(a[2])).all().get().get(a[2]);
				System.out.println("state " + d.state() + " members " + d.members().size());
				for (MemberDescription md : d.members())
					System.out.println("member " + md.clientId() + " " + md.host());
				break;
			}
			default:
				System.err.println("unknown command " + a[1]);
				System.exit(2);
			}
		}
	}
}
