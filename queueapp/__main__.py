from queueapp.cli import main

main()
