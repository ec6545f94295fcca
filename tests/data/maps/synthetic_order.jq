# The synthetic-data producer: {sequence_id, user_id, transaction_id,
# product_id, address, signup_at, platform_id, message}.  Its heartbeats
# (message "heartbeat") are no orders: empty skips them.
if .message == "heartbeat" then empty
else {order_id: ("tx-" + (.transaction_id | tostring)), user_id: (.user_id | tostring),
      item: ("product-" + (.product_id | tostring)), quantity: 1,
      country: (.address.country // null)} | with_entries(select(.value != null))
end
